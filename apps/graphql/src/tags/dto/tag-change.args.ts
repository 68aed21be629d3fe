import { ArgsType, Field, ID, Int } from '@nestjs/graphql';

@ArgsType()
export class TagChangeArgs {
  @Field(() => [ID], { description: 'Items to change (1 to 500, this tenant’s)' })
  itemIds!: string[];

  @Field(() => [String], { description: 'Tag words (1 to 50); compared lower-case' })
  words!: string[];
}

@ArgsType()
export class TagSuggestionsArgs {
  @Field({ description: 'The start of the word, 1 to 64 characters' })
  prefix!: string;

  @Field(() => Int, { defaultValue: 10 })
  first!: number;
}
