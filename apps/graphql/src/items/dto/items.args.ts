import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { ItemStatus } from '../models/item.model';

@InputType()
export class ItemFilter {
  @Field(() => ItemStatus, { nullable: true })
  status?: ItemStatus;

  @Field(() => String, { nullable: true })
  category?: string;
}

@ArgsType()
export class ItemArgs {
  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  externalId?: string;
}

@ArgsType()
export class ItemsArgs {
  @Field(() => ItemFilter, { nullable: true })
  filter?: ItemFilter;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, at most GRAPHQL_MAX_PAGE_SIZE (100)' })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
