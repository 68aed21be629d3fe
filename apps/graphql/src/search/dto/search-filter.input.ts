import { Field, Float, InputType } from '@nestjs/graphql';

@InputType({ description: 'Applied inside the vector-store query, so `first` results are always full' })
export class SearchFilter {
  @Field(() => [String], { nullable: true, description: 'Any of these categories' })
  categories?: string[];

  @Field(() => Float, { nullable: true })
  minPrice?: number;

  @Field(() => Float, { nullable: true })
  maxPrice?: number;

  @Field(() => [String], { nullable: true, description: 'Items carrying every one of these tags' })
  allTags?: string[];

  @Field(() => [String], { nullable: true, description: 'Items carrying at least one of these tags' })
  anyTags?: string[];

  @Field(() => [String], { nullable: true, description: 'Any of these `attributes.availability` values' })
  availability?: string[];
}
