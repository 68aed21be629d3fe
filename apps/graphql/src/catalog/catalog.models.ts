import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class StatusCount {
  @Field()
  status!: string;

  @Field(() => Int)
  items!: number;
}

@ObjectType()
export class ModelVersionCount {
  @Field()
  modelVersion!: string;

  @Field(() => Int)
  items!: number;
}

@ObjectType({ description: 'The tenant’s catalog at a glance' })
export class CatalogStats {
  @Field(() => [StatusCount], { description: 'Items by status (RECEIVED, QUEUED, INDEXED, FAILED)' })
  itemsByStatus!: StatusCount[];

  @Field(() => Int)
  suggestedTags!: number;

  @Field(() => Int)
  acceptedTags!: number;

  @Field(() => Int)
  rejectedTags!: number;

  @Field(() => Int, { description: 'Tags merchandisers added' })
  manualTags!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Accepted ÷ (accepted + rejected) automatic tags; null before any decision',
  })
  tagAcceptanceRate!: number | null;

  @Field(() => [ModelVersionCount], { description: 'Indexed items per model version' })
  modelVersions!: ModelVersionCount[];
}

@ObjectType()
export class Synonyms {
  @Field()
  term!: string;

  @Field(() => [String])
  words!: string[];
}

@ObjectType({ description: 'A tag vocabulary: the only words automatic tags and SEMANTIC queries use' })
export class VocabularyView {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'The shipped vocabulary it extends' })
  base!: string | null;

  @Field(() => [String], { description: 'Every term, the tenant’s additions included' })
  terms!: string[];

  @Field(() => [String], { description: 'The tenant’s own additions (empty for a shipped vocabulary)' })
  addedWords!: string[];

  @Field(() => [Synonyms])
  synonyms!: Synonyms[];

  @Field(() => [String])
  stopWords!: string[];

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;
}

@InputType()
export class SynonymsInput {
  @Field()
  term!: string;

  @Field(() => [String])
  words!: string[];
}

@InputType({ description: 'The tenant’s whole set of vocabulary changes; it replaces the previous one' })
export class VocabularyInput {
  @Field(() => String, {
    nullable: true,
    description: 'Shipped vocabulary to extend: products or real-estate',
  })
  base?: string | null;

  @Field(() => [String], { defaultValue: [], description: 'Terms to add (words the word vectors know)' })
  words!: string[];

  @Field(() => [SynonymsInput], { defaultValue: [] })
  synonyms!: SynonymsInput[];

  @Field(() => [String], { defaultValue: [] })
  stopWords!: string[];
}

@ObjectType()
export class VocabularyUpdate {
  @Field(() => VocabularyView)
  vocabulary!: VocabularyView;

  @Field(() => [String], { description: 'Words the word vectors do not know: they were left out' })
  unknownWords!: string[];
}
