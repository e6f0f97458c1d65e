export { fsyncDir, writeFileAtomic } from './atomic-write';
export { downloadsStorage } from './downloads';
export { httpStorage } from './http';
export { indexedDbStorage } from './indexeddb';
export { localStorageStorage } from './local-storage';
export { folderStorage } from './node-folder';
export { resolveStorage } from './resolve';
export type { ModelStorage, PrefixCheck } from './types';
