import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum TagSource {
  AUTO = 'auto',
  MANUAL = 'manual',
}
export enum TagState {
  SUGGESTED = 'suggested',
  ACCEPTED = 'accepted',
  REJECTED = 'rejected',
}
registerEnumType(TagSource, {
  name: 'TagSource',
  description: 'AUTO: from the image; MANUAL: added by a merchandiser',
});
registerEnumType(TagState, { name: 'TagState', description: 'A merchandiser’s decision on a tag' });

@ObjectType({ description: 'A word of the tenant’s vocabulary attached to an item' })
export class Tag {
  @Field()
  word!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Cosine similarity of the image to the word (AUTO tags)',
  })
  score!: number | null;

  @Field(() => TagSource)
  source!: TagSource;

  @Field(() => TagState)
  state!: TagState;
}
