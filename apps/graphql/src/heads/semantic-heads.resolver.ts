import { Roles, type ApiKeyPrincipal, type SemanticHeadRecord } from '@catalens/db';
import type { HeadReport } from '@catalens/learning';
import { UseGuards } from '@nestjs/common';
import {
  Args,
  Field,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from '@nestjs/graphql';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Principal } from '../auth/request-context';
import { SemanticHeadsService, type TrainingView } from './semantic-heads.service';

const HEAD_STATES = { CANDIDATE: 'CANDIDATE', ACTIVE: 'ACTIVE', RETIRED: 'RETIRED' } as const;
registerEnumType(HEAD_STATES, {
  name: 'SemanticHeadState',
  description:
    'ACTIVE: serves the tenant; CANDIDATE: trained, not promoted (see its report); RETIRED: served before (rollbackSemanticHead brings it back)',
});
const TRAINING_STATES = { TRAINING: 'TRAINING', DONE: 'DONE', FAILED: 'FAILED' } as const;
registerEnumType(TRAINING_STATES, { name: 'SemanticHeadTrainingState' });
const DECISIONS = { PROMOTED: 'PROMOTED', KEPT: 'KEPT' } as const;
registerEnumType(DECISIONS, {
  name: 'SemanticHeadDecision',
  description: 'PROMOTED: the new head serves the tenant; KEPT: the head in service stays (see reason)',
});

@ObjectType({ description: 'A head’s scores on the held-out slice of the tenant’s feedback' })
export class HeadScores {
  @Field({ description: 'Which head: the deployment’s (e.g. conse) or tenant-v<n>' })
  head!: string;
  @Field(() => Float, { description: 'Share of held-out items whose first tag is one of their words' })
  tagP1!: number;
  @Field(() => Float, {
    description: 'Share of held-out items with one of their words among the first five tags',
  })
  tagP5!: number;
  @Field(() => Float, {
    description:
      'Per word, that word as a text query over the held-out items: share of its items among the first min(10, their count) results; averaged over words',
  })
  textR10!: number;
  @Field(() => Int)
  n!: number;
}

@ObjectType({
  description: 'What a head was trained on, how it compared with the head in service, and what was decided',
})
export class SemanticHeadReport {
  @Field(() => Int, { description: 'Labelled items trained on (the held-out slice is never trained on)' })
  trainItems!: number;
  @Field(() => Int, { description: '(item, word) pairs trained on' })
  trainExamples!: number;
  @Field(() => Int)
  heldOutItems!: number;
  @Field(() => Int)
  epochs!: number;
  @Field(() => Float)
  finalLoss!: number;
  @Field(() => [String], { description: 'Feedback words the word vectors do not know: not learnable' })
  unknownWords!: string[];
  @Field(() => HeadScores, { description: 'The head that served the tenant when this one was trained' })
  serving!: HeadScores;
  @Field(() => HeadScores)
  candidate!: HeadScores;
  @Field(() => DECISIONS)
  decision!: keyof typeof DECISIONS;
  @Field()
  reason!: string;
  @Field(() => Int, { nullable: true, description: 'Items re-projected and re-tagged at promotion' })
  recomputed!: number | null;
}

@ObjectType({
  description: 'One version of the tenant’s own semantic head (DeViSE, trained from its feedback)',
})
export class SemanticHead {
  @Field(() => Int)
  version!: number;
  @Field(() => HEAD_STATES)
  state!: keyof typeof HEAD_STATES;
  @Field(() => [String], {
    description:
      'The words it learnt to recognize (accepted, added, categories); they can be the tenant’s tags',
  })
  labels!: string[];
  @Field(() => Date)
  createdAt!: Date;
  @Field(() => Date, { nullable: true })
  promotedAt!: Date | null;
  @Field(() => SemanticHeadReport)
  report!: SemanticHeadReport;
}

@ObjectType({ description: 'The latest training of the tenant’s head on this API replica' })
export class SemanticHeadTraining {
  @Field(() => TRAINING_STATES)
  state!: keyof typeof TRAINING_STATES;
  @Field(() => Date)
  startedAt!: Date;
  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'The version it produced' })
  version!: number | null;
  @Field(() => DECISIONS, { nullable: true })
  decision!: keyof typeof DECISIONS | null;
  @Field(() => String, { nullable: true, description: 'Why it failed, and what to do' })
  error!: string | null;
  @Field({ description: 'Started by SEMANTIC_HEAD_AUTOTRAIN_EVERY rather than by trainSemanticHead' })
  automatic!: boolean;
}

@ObjectType({ description: 'Which semantic head tags and searches the tenant’s catalog, and its versions' })
export class SemanticHeads {
  @Field({ description: 'The head in service: tenant-v<n>, or the deployment’s (SEMANTIC_HEAD)' })
  serving!: string;
  @Field(() => [SemanticHead], { description: 'Newest first' })
  versions!: SemanticHead[];
  @Field(() => SemanticHeadTraining, { nullable: true })
  training!: SemanticHeadTraining | null;
}

@ObjectType()
export class SemanticHeadRollback {
  @Field({ description: 'The head in service now' })
  serving!: string;
  @Field(() => Int, { description: 'Items re-projected from their stored visual vectors' })
  recomputed!: number;
  @Field(() => ID, {
    nullable: true,
    description:
      'Back to the deployment’s head: the reindex that re-embeds the catalog (follow it with reindexJob)',
  })
  reindexJob!: string | null;
}

const headView = (h: Omit<SemanticHeadRecord, 'kernel'>): SemanticHead => {
  const r = h.report as unknown as HeadReport;
  return {
    version: h.version,
    state: h.state.toUpperCase() as keyof typeof HEAD_STATES,
    labels: h.labels,
    createdAt: h.createdAt,
    promotedAt: h.promotedAt,
    report: {
      ...r,
      decision: r.decision.toUpperCase() as keyof typeof DECISIONS,
      recomputed: r.recomputed ?? null,
    },
  };
};
const trainingView = (t: TrainingView | null): SemanticHeadTraining | null =>
  t && { ...t, decision: t.decision ? (t.decision.toUpperCase() as keyof typeof DECISIONS) : null };

@Resolver()
@UseGuards(ApiKeyGuard)
export class SemanticHeadsResolver {
  constructor(private readonly heads: SemanticHeadsService) {}

  @Query(() => SemanticHeads, {
    description: 'The tenant’s semantic heads: which serves, their reports, the latest training',
  })
  @Roles('curate', 'admin')
  async semanticHeads(@Principal() principal: ApiKeyPrincipal): Promise<SemanticHeads> {
    const { tenantId } = principal;
    return {
      serving: await this.heads.servingHead(tenantId),
      versions: (await this.heads.repository.list(tenantId)).map(headView),
      training: trainingView(this.heads.training(tenantId)),
    };
  }

  @Mutation(() => SemanticHeadTraining, {
    description:
      'Trains a semantic head from the tenant’s feedback (accepted, added and rejected tags, feed categories), evaluates it on a held-out slice against the head in service, and promotes it if it is not worse on tagP5 and textR10. Runs in the background: follow semanticHeads.training.',
  })
  @Roles('curate', 'admin')
  trainSemanticHead(@Principal() principal: ApiKeyPrincipal): SemanticHeadTraining {
    return trainingView(this.heads.start(principal.tenantId))!;
  }

  @Mutation(() => SemanticHeadRollback, {
    description:
      'Puts an earlier version of the tenant’s head back in service (items re-projected from their stored vectors, no search gap), or with version null the deployment’s head (by a reindex).',
  })
  @Roles('admin')
  async rollbackSemanticHead(
    @Args('version', { type: () => Int, nullable: true }) version: number | null,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<SemanticHeadRollback> {
    const done = await this.heads.rollback(principal.tenantId, version ?? null);
    return { serving: await this.heads.servingHead(principal.tenantId), ...done };
  }
}
