export { dictionaryFrom, loadCmudict, type PronouncingDictionary } from './dictionary';
export { G2PInputError, G2PModelError, type G2PModelErrorCode } from './errors';
export {
  type AllOptions,
  type DecodeOptions,
  G2P,
  G2P_FORMAT,
  type G2PInfo,
  type LoadG2POptions,
  loadG2P,
  type NBestOptions,
  type Pronunciation,
  type TextToken,
} from './g2p';
export { packagedModelFiles, urlStorage } from './model-files';
export {
  ABBREVIATIONS,
  type NormalizedToken,
  normalizeText,
  numberWords,
  ordinalWords,
  yearWords,
} from './normalize';
