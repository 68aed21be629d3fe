import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Tag } from './tag.model';

export enum ItemStatus {
  RECEIVED = 'received',
  QUEUED = 'queued',
  INDEXED = 'indexed',
  FAILED = 'failed',
}
registerEnumType(ItemStatus, {
  name: 'ItemStatus',
  description: 'RECEIVED → QUEUED (on Kafka) → INDEXED (searchable); FAILED with failureReason',
});

@ObjectType({ description: 'A catalog item of the caller’s tenant' })
export class Item {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The id in the merchant’s own catalog' })
  externalId!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  category!: string | null;

  @Field(() => Float, { nullable: true })
  price!: number | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217' })
  currency!: string | null;

  @Field(() => GraphQLJSONObject)
  attributes!: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'The product page: `attributes.url` when it is an absolute http(s) URL',
  })
  url!: string | null;

  @Field(() => ItemStatus)
  status!: ItemStatus;

  @Field(() => String, { nullable: true })
  failureReason!: string | null;

  @Field(() => ID, { nullable: true, description: 'The item this one’s image nearly duplicates' })
  duplicateOf!: string | null;

  @Field(() => String, { nullable: true, description: 'Image model + semantic head that indexed it' })
  modelVersion!: string | null;

  @Field(() => Date, { nullable: true })
  indexedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  /** Internal: the stored image's hash, for the thumbnail link (not a field). */
  contentHash!: string | null;

  /** Resolved by ItemsResolver.tags through a DataLoader. */
  @Field(() => [Tag])
  tags?: Tag[];
}
