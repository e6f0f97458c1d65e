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
export {
  CheckpointError,
  FitOptionsError,
  NonFiniteLossError,
  ReplicaError,
  TrainingDataError,
} from './errors';
export { type BatchMetrics, disposeBatch, type EvaluateOptions, evaluate } from './evaluate';
export type {
  BatchEndEvent,
  Callbacks,
  CheckpointEvent,
  EpochEndEvent,
  ProgressEvent,
} from './events';
export {
  type BestValidation,
  type CheckpointOptions,
  type FitOptions,
  type FitResult,
  fit,
  type LossFn,
  type StepContext,
  type StopReason,
} from './fit';
export {
  type FitTaskOptions,
  type FitTaskResult,
  type FitTaskSettings,
  fitTask,
  holdOut,
  makeOptimizer,
  resolveTaskSettings,
} from './fit-task';
export * from './metrics';
export {
  applyGradients,
  type TrainStepOptions,
  type TrainStepResult,
  trainStep,
  yieldToEventLoop,
} from './step';
