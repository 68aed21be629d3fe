import type { PayloadCard } from '@catalens/indexing';
import { collectSubFields } from '@graphql-tools/utils';
import { type FieldNode, type GraphQLResolveInfo, getNamedType, isObjectType } from 'graphql';
import type { Item } from '../items/models/item.model';
import type { HitDetail } from './search.service';

/**
 * Item fields a point's card answers: the card itself, plus `thumbnailUrl` (signed from id and
 * content hash) and `tags` (read by their own DataLoader either way).
 */
export const CARD_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'externalId',
  'title',
  'category',
  'price',
  'currency',
  'url',
  'thumbnailUrl',
  'tags',
]);

/**
 * `card` when the query selects, under each hit's `item`, only CARD_FIELDS — through aliases,
 * fragments and `@skip`/`@include` as graphql-js would execute it — and `row` otherwise.
 * `info` is the resolver's, whose return type is a list of objects with an `item` field.
 */
export function hitDetail(info: GraphQLResolveInfo): HitDetail {
  const hitType = getNamedType(info.returnType);
  if (!isObjectType(hitType)) return 'row';
  // graphql-tools reads graphql 16's plain variable values from `coerced`.
  const vars = { coerced: info.variableValues, sources: {} };
  const hit = collectSubFields(info.schema, info.fragments, vars, hitType, [...info.fieldNodes]);
  if (hit.patches.length > 0) return 'row';
  const itemNodes: FieldNode[] = [...hit.fields.values()].flat().filter((n) => n.name.value === 'item');
  if (itemNodes.length === 0) return 'card';
  const itemType = getNamedType(hitType.getFields()['item']?.type);
  if (!isObjectType(itemType)) return 'row';
  const item = collectSubFields(info.schema, info.fragments, vars, itemType, itemNodes);
  if (item.patches.length > 0) return 'row';
  for (const nodes of item.fields.values()) if (!CARD_FIELDS.has(nodes[0]!.name.value)) return 'row';
  return 'card';
}

/**
 * The Item a card answers. Only CARD_FIELDS are ever read from it (hitDetail chose the card), so
 * the row-only fields stay unset rather than guessed.
 */
export function cardItem(card: PayloadCard): Item {
  return {
    id: card.itemId,
    externalId: card.externalId,
    title: card.title,
    category: card.category,
    // As the row's numeric(14,4) holds it.
    price: card.price === null ? null : Math.round(card.price * 1e4) / 1e4,
    currency: card.currency,
    url: card.url,
    contentHash: card.contentHash,
  } as Item;
}
