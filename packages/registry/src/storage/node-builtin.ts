import { ModelFileError } from '../errors';

/**
 * Node's file-system modules, as the folder storage and the atomic writes use them. The main
 * entry of @seqzoo/registry imports no Node built-in: these are handed over by
 * `registerNodeFileSystem`, which the Node-only code calls ('@seqzoo/registry/node', and the
 * package's Node build that the `node` export condition picks). A browser bundle never holds
 * (or warns about) `fs`/`path`, and a folder path there is a clear error.
 */
export interface NodeFileSystem {
  readonly fsPromises: typeof import('node:fs/promises');
  readonly fs: typeof import('node:fs');
  readonly path: typeof import('node:path');
}

let registered: NodeFileSystem | null = null;

/** Called once by the Node entries with Node's modules. */
export function registerNodeFileSystem(modules: NodeFileSystem): void {
  registered = modules;
}

/** Whether folder paths can be read and written here (Node, with the Node entry loaded). */
export function hasNodeFileSystem(): boolean {
  return registered !== null;
}

/** The error for a folder path (or file:// URL) where there is no file system. */
export function noFileSystem(location?: string): ModelFileError {
  return new ModelFileError(
    'UNSUPPORTED_URL',
    "a folder path or file:// URL needs Node's file system, which this build does not have. In a browser, use indexeddb://, localstorage://, downloads:// or http(s)://; in Node, import '@seqzoo/registry/node' once (a bundler that targets the browser picked the browser build).",
    location,
  );
}

/**
 * Node's file system as the Node build of @seqzoo/registry hands it over, for packages above the
 * registry that read or write files in Node (training checkpoints) without importing a Node
 * built-in themselves. Throws a `ModelFileError` (`UNSUPPORTED_URL`) where there is none (a
 * browser, or the browser build).
 */
export function nodeFileSystem(): NodeFileSystem {
  if (!registered) throw noFileSystem();
  return registered;
}

export const nodeFsPromises = async () => nodeFileSystem().fsPromises;
export const nodeFs = async () => nodeFileSystem().fs;
export const nodePath = async () => nodeFileSystem().path;
