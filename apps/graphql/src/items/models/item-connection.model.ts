import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Item } from './item.model';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' })
  endCursor!: string | null;
}

@ObjectType()
export class ItemEdge {
  @Field()
  cursor!: string;

  @Field(() => Item)
  node!: Item;
}

@ObjectType({ description: 'Relay-style page of items, newest first' })
export class ItemConnection {
  @Field(() => [ItemEdge])
  edges!: ItemEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Items matching the filter, all pages' })
  totalCount!: number;
}
