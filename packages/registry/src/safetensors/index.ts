export { type DecodedTensor, decodeTensor } from './decode';
export { DTYPES, type SafetensorsDtype } from './dtypes';
export { type EncodableTensor, encodeSafetensors } from './encode';
export { SafetensorsError, type SafetensorsErrorCode } from './errors';
export {
  DEFAULT_MAX_HEADER_BYTES,
  type ParsedSafetensors,
  type ParseOptions,
  parseSafetensors,
  type RawTensor,
  readHeaderLength,
} from './parse';
export { safetensorsToTensors, tensorsToSafetensors } from './tensors';
