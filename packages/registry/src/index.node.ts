// The Node build of `@seqzoo/registry` (the `node` export condition): the main entry, with
// Node's file system handed to the folder storage, so that folder paths work without importing
// '@seqzoo/registry/node'. Browsers get `index.ts`, which imports no Node built-in.
import { registerNode } from './node-register';

registerNode();

export * from './index';
