export {
  ConfigError,
  type ConfigIssue,
  ModelFileError,
  type ModelFileErrorCode,
  PluginError,
  UnknownModelError,
} from './errors';
export { ExampleMlp, exampleMlp, type MlpConfig, mlpConfigSchema } from './example/mlp';
export { examplePlugin } from './example/plugin';
export { exportWeights, type ImportWeightsOptions, importWeights } from './interop';
export {
  FORMAT,
  FORMAT_VERSION,
  MODEL_JSON,
  type ModelJson,
  OPTIMIZER_FILE,
  parseModelJson,
  sha256Hex,
  WEIGHTS_FILE,
} from './model-json';
export type { SavableModule } from './module';
export { type ModelOrigin, modelOrigin } from './origin';
export {
  type BenchCase,
  type BenchContext,
  type BenchSize,
  type ConfigOf,
  type CreateContext,
  defineModel,
  definePlugin,
  type ModelDefinition,
  type ModelOf,
  type ModelsOf,
  type Plugin,
} from './plugin';
export { exportPytorchState, importPytorchState } from './pytorch';
export {
  decodeWeights,
  dequantizeInt8,
  floatToHalf,
  QUANTIZATION_KEY,
  QUANTIZATION_VERSION,
  type QuantizationHeader,
  type QuantizeDtype,
  type QuantizedTensorEntry,
  type QuantizedTensorReport,
  type QuantizeOptions,
  type QuantizeReport,
  quantizationOf,
  quantizeModel,
  quantizeTensors,
} from './quantize';
export {
  type CreateOptions,
  createRegistry,
  type ModelDescription,
  type ModelMap,
  type ModelRecord,
  type ModelSummary,
  type Registry,
} from './registry';
export * from './safetensors';
export {
  type LoadedModel,
  type LoadOptions,
  loadModel,
  type OptimizerState,
  type SaveOptions,
  saveModel,
} from './save-load';
export * from './storage';
export type {
  BatchOptions,
  DatasetSource,
  ExampleKind,
  ExampleShapes,
  LabelledText,
  LossContext,
  PlainText,
  Prediction,
  PredictOptionName,
  PredictOptions,
  SelectionMetric,
  Splits,
  Task,
  TaskEvaluateOptions,
  TextPair,
  TrainingDefaults,
} from './task';
export { validateConfig } from './validate-config';
export type { WeightRename } from './weight-names';
export {
  applyWeights,
  type NonFinitePolicy,
  type ReadWeightsOptions,
  readWeights,
} from './weights';
