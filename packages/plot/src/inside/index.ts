export { type CopyBatch, copyBatch } from './copy-task';
export { PlotArgumentError } from './errors';
export {
  type GateReadableLM,
  type LstmGates,
  type LstmWeights,
  languageModelGates,
  lstmGates,
  lstmLayersOf,
  saturation,
} from './gates';
export {
  cellName,
  type GradientFlowCurve,
  GradientFlowModel,
  type GradientFlowOptions,
  gradientFlow,
} from './gradient-flow';
