import { Roles } from '@catalens/db';
import type { ApiKeyPrincipal } from '@catalens/db';
import { UseGuards } from '@nestjs/common';
import {
  Args,
  Field,
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
import { TenantReindexService, type ReindexState } from './tenant-reindex.service';

const STATES = { PUBLISHING: 'PUBLISHING', INDEXING: 'INDEXING', DONE: 'DONE', FAILED: 'FAILED' } as const;
registerEnumType(STATES, {
  name: 'ReindexState',
  description:
    'PUBLISHING: records are being produced; INDEXING: the embedders are working through them; DONE; FAILED: publishing stopped (see error; run reindex again)',
});

@ObjectType({ description: 'A re-embedding of the tenant’s catalog and its progress' })
export class ReindexJob {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Int, { description: 'Items to re-embed' })
  total!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Records produced so far (null when asked of a replica that does not run the publishing)',
  })
  published!: number | null;

  @Field(() => Int, { description: 'Items indexed again since the start' })
  indexed!: number;

  @Field(() => Int, { description: 'Items that failed since the start (see their failureReason)' })
  failed!: number;

  @Field(() => STATES)
  state!: ReindexState;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

@Resolver()
@UseGuards(ApiKeyGuard)
export class ReindexResolver {
  constructor(private readonly reindex: TenantReindexService) {}

  @Mutation(() => ReindexJob, {
    name: 'reindex',
    description:
      'Re-embeds and re-tags the tenant’s catalog with the serving model and the current vocabulary; tag decisions are kept (rejected tags stay rejected). Items stay searchable meanwhile.',
  })
  @Roles('admin')
  start(@Principal() principal: ApiKeyPrincipal): Promise<ReindexJob> {
    return this.reindex.start(principal.tenantId);
  }

  @Query(() => ReindexJob, { description: 'Progress of a reindex, by the id `reindex` returned' })
  @Roles('curate', 'admin')
  reindexJob(
    @Args('id', { type: () => ID }) id: string,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<ReindexJob> {
    return this.reindex.progress(principal.tenantId, id);
  }
}
