export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointContents,
  latestCheckpoint,
  listCheckpoints,
  readCheckpoint,
  type TrainerState,
} from './checkpoint';
export {
  EarlyStopping,
  type EarlyStoppingOptions,
  type EarlyStoppingState,
} from './early-stopping';
export { CheckpointError, FitOptionsError, NonFiniteLossError } from './errors';
export { type BatchMetrics, disposeBatch, type EvaluateOptions, evaluate } from './evaluate';
export type {
  BatchEndEvent,
  Callbacks,
  CheckpointEvent,
  EpochEndEvent,
  ProgressEvent,
} from './events';
export {
  type CheckpointOptions,
  type FitOptions,
  type FitResult,
  fit,
  type LossFn,
  type StepContext,
  type StopReason,
} from './fit';
export * from './metrics';
