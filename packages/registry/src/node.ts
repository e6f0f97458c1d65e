/**
 * `@seqzoo/registry/node`: the Node-only part of the registry — model folders on disk
 * (`folderStorage`) and crash-safe writes (`writeFileAtomic`, `fsyncDir`). Importing it (or
 * importing `@seqzoo/registry` in Node, whose `node` export condition loads this) lets
 * `saveModel`, `loadModel`, `exportWeights`, `importWeights` and `quantizeModel` take a folder
 * path or `file://` URL. The main entry (`@seqzoo/registry`) imports no Node built-in, so a
 * browser bundle of it holds no `fs`/`path` (and Vite prints no "externalized" warning).
 *
 * @module
 */
import { registerNode } from './node-register';

registerNode();

export { fsyncDir, writeFileAtomic } from './storage/atomic-write';
export { type FolderStorageOptions, folderStorage } from './storage/node-folder';
