export { feedbackExamples, isHeldOut, type FeedbackExample } from './feedback-examples';
export { ActiveHeads, HEAD_CACHE_TTL_MS, TenantHead, tenantHeadId, withHeadWords } from './tenant-head';
export {
  NotEnoughFeedbackError,
  TenantHeadTrainer,
  fitTenantHead,
  scoreHead,
  type HeadReport,
  type HeadScores,
  type TenantHeadTrainerDeps,
  type TenantSpaces,
  type TrainingOptions,
} from './tenant-head-trainer';
