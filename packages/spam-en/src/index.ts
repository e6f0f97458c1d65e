export { SpamInputError, SpamModelError, type SpamModelErrorCode } from './errors';
export { MAX_BODY_CHARS, messageBody } from './message';
export { packagedModelFiles, urlStorage } from './model-files';
export {
  type Classification,
  type ClassifyOptions,
  type LoadSpamFilterOptions,
  loadSpamFilter,
  SPAM_FORMAT,
  SpamFilter,
  type SpamFilterInfo,
} from './spam';
