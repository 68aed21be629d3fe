import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Item } from '../../items/models/item.model';

export enum SearchMode {
  SEMANTIC = 'SEMANTIC',
}
registerEnumType(SearchMode, {
  name: 'SearchMode',
  description: 'SEMANTIC: the query’s GloVe vector against the images’ semantic vectors',
});

@ObjectType()
export class ScoredItem {
  @Field(() => Item)
  item!: Item;

  @Field(() => Float, { description: 'Cosine similarity of the visual vectors' })
  score!: number;
}

@ObjectType()
export class SearchHit {
  @Field(() => Item)
  item!: Item;

  @Field(() => Float)
  score!: number;

  @Field(() => [String], { description: 'Query terms that are also tags of the item' })
  matchedTerms!: string[];
}

@ObjectType()
export class SearchResult {
  @Field(() => [SearchHit])
  hits!: SearchHit[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' })
  endCursor!: string | null;

  @Field(() => [String], { description: 'Terms the query was understood as (synonyms resolved)' })
  usedTerms!: string[];

  @Field(() => [String], { description: 'Query words the word vectors do not know (they were ignored)' })
  unknownWords!: string[];

  @Field(() => [String], { description: 'Stop-words that were dropped' })
  ignoredWords!: string[];
}
