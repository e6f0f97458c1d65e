export { type AdagradOptions, adagrad } from './adagrad';
export { type AdamOptions, adam, adamw } from './adam';
export { type ClipGradNormOptions, type ClippedGrads, clipGradNorm, clipGradValue } from './clip';
export {
  GradientMismatchError,
  NonFiniteGradientError,
  OptimizerConfigError,
  OptimizerDisposedError,
  StateDictError,
} from './errors';
export { type MovingAverage, type MovingAverageOptions, movingAverage } from './moving-average';
export type { NamedTensors, NamedVariables } from './named';
export type {
  GroupsOption,
  Optimizer,
  OptimizerStateDict,
  OptimizerStateMeta,
  ParamState,
} from './optimizer';
export type { GroupSpec, ParamGroup, ParamSelector } from './param-groups';
export { type RmspropOptions, rmsprop } from './rmsprop';
export * from './schedules/index';
export { type SgdOptions, sgd } from './sgd';
