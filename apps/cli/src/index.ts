export { backendsCommand, formatBackends, matmulMs } from './commands/backends';
export {
  BENCH_SIZES,
  type BenchArgs,
  type BenchRow,
  type BenchSize,
  benchCommand,
  formatBench,
} from './commands/bench';
export { applySet, configFromArgs } from './commands/config-args';
export { type EvalArgs, type EvalReport, evalCommand, formatEval } from './commands/evaluate';
export { type DataArgs, loadSplits, readExamples } from './commands/examples';
export {
  cliRegistry,
  describeTask,
  formatDescription,
  formatModels,
  modelsJson,
} from './commands/models';
export {
  formatPredictions,
  type PredictArgs,
  type Prediction,
  predictCommand,
} from './commands/predict';
export { barReporter, jsonReporter, type Reporter } from './commands/progress';
export { type TrainArgs, type TrainOutcome, trainCommand } from './commands/train';
export { CliError, Exit, FileSystemError, fileSystemError, oneLine } from './errors';
export { loadPlugins } from './plugins';
export { buildProgram, type Io, run } from './program';
export { drained, exitAfterDrain } from './stdio';
export { formatTable } from './table';
