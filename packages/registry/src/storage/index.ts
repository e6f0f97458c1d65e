export { downloadsStorage } from './downloads';
export { isSafeFileName } from './file-name';
export { HTTP_DEFAULTS, type HttpOptions, httpStorage } from './http';
export { indexedDbStorage } from './indexeddb';
export { localStorageStorage } from './local-storage';
export { type NodeFileSystem, nodeFileSystem } from './node-builtin';
export { resolveStorage } from './resolve';
export type { ModelStorage, PrefixCheck, ReadLimits } from './types';
export { urlStorage } from './url-files';
