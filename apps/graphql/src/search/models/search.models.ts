import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Item } from '../../items/models/item.model';

export enum SearchMode {
  SEMANTIC = 'SEMANTIC',
  KEYWORD = 'KEYWORD',
  HYBRID = 'HYBRID',
}
registerEnumType(SearchMode, {
  name: 'SearchMode',
  description: 'How `searchImages` matches the text',
  valuesMap: {
    SEMANTIC: {
      description:
        'The query’s GloVe vector against the images’ semantic vectors: finds what the image shows, whatever the title says',
    },
    KEYWORD: {
      description:
        'PostgreSQL full-text search (English stemming) over title, accepted tags and description; score is ts_rank_cd',
    },
    HYBRID: {
      description:
        'Reciprocal rank fusion (k = 60) of the top 500 KEYWORD and SEMANTIC results; score is the fused score',
    },
  },
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

  @Field(() => Float, { description: 'Higher is better; its scale depends on the mode (see SearchMode)' })
  score!: number;

  @Field(() => [String], {
    description: 'Query terms that are tags of the item (SEMANTIC) or words of its text (KEYWORD)',
  })
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
