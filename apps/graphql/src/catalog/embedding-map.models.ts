import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Item } from '../items/models/item.model';

export enum MapColor {
  CATEGORY = 'CATEGORY',
  TAG = 'TAG',
}
registerEnumType(MapColor, {
  name: 'MapColor',
  description: 'What colours a point: the item’s category, or its first (highest-scored) tag',
});

@ObjectType({ description: 'One item on the map' })
export class MapPoint {
  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;

  @Field({ description: 'The category or tag the point is coloured by ("none" when it has none)' })
  label!: string;

  @Field(() => Item)
  item!: Item;
}

@ObjectType({
  description:
    'A 2-D PCA projection of the semantic (GloVe-space) vectors of the tenant’s indexed items: items that mean alike lie close',
})
export class EmbeddingMap {
  @Field(() => [MapPoint])
  points!: MapPoint[];

  @Field(() => [String], { description: 'Labels by number of points, most first' })
  labels!: string[];

  @Field(() => Int, { description: 'Indexed points read (at most `maxPoints`)' })
  sampled!: number;

  @Field(() => Float, {
    description: 'Share of the vectors’ variance the two axes show (0–1): how faithful the flat picture is',
  })
  explainedVariance!: number;
}
