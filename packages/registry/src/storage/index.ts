export { fsyncDir, writeFileAtomic } from './atomic-write';
export { downloadsStorage } from './downloads';
export { isSafeFileName } from './file-name';
export { HTTP_DEFAULTS, type HttpOptions, httpStorage } from './http';
export { indexedDbStorage } from './indexeddb';
export { localStorageStorage } from './local-storage';
export { type FolderStorageOptions, folderStorage } from './node-folder';
export { resolveStorage } from './resolve';
export type { ModelStorage, PrefixCheck, ReadLimits } from './types';
