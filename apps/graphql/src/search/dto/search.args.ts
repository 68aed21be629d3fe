import { ArgsType, Field, Float, ID, Int } from '@nestjs/graphql';
import { SearchMode } from '../models/search.models';
import { SearchFilter } from './search-filter.input';

@ArgsType()
export class SimilarItemsArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Items that look like this indexed item (itself excluded)',
  })
  itemId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Items that look like an image uploaded to POST /v1/query-images (the id it returned)',
  })
  imageId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Items that look like the image at this http(s) URL (public addresses only)',
  })
  imageUrl?: string | null;

  @Field(() => Int, { defaultValue: 10 })
  first!: number;

  @Field(() => SearchFilter, { nullable: true })
  filter?: SearchFilter;

  @Field(() => Float, { nullable: true, description: 'Drop hits below this cosine similarity' })
  minScore?: number;
}

@ArgsType()
export class SearchImagesArgs {
  @Field({ description: 'Words describing the images, e.g. "red summer dress"' })
  text!: string;

  @Field(() => SearchMode, { defaultValue: SearchMode.SEMANTIC })
  mode!: SearchMode;

  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => SearchFilter, { nullable: true })
  filter?: SearchFilter;
}
