import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Item } from '../../items/models/item.model';

@ObjectType({ description: 'What a tag mutation did' })
export class TagChangeResult {
  @Field(() => [Item], { description: 'The items changed, with their tags as they are now' })
  items!: Item[];

  @Field(() => [ID], { description: 'Ids that are not items of this tenant; nothing was done to them' })
  missingIds!: string[];

  @Field(() => Int, { description: 'Tag rows created, changed or deleted' })
  changed!: number;
}

@ObjectType({ description: 'A tag word for autocomplete' })
export class TagSuggestion {
  @Field()
  word!: string;

  @Field(() => Int, { description: 'Items carrying it (not rejected); 0 for a vocabulary word not used yet' })
  items!: number;

  @Field({ description: 'Whether it is a term of the tenant’s vocabulary (automatic tags come from these)' })
  inVocabulary!: boolean;
}
