import { Field, Float, ObjectType } from '@nestjs/graphql';
import { Item } from '../../items/models/item.model';

@ObjectType({ description: 'An automatic tag awaiting a merchandiser’s decision' })
export class ReviewEntry {
  @Field(() => Item)
  item!: Item;

  @Field()
  word!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'The tagger’s cosine score; the queue starts at the lowest',
  })
  score!: number | null;
}
