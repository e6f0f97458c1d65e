/**
 * Node built-ins imported by a specifier bundlers cannot see: a browser build of an app that
 * imports @seqzoo/registry never tries to resolve or externalize `fs`/`path` (no Vite warning),
 * while Node resolves them at call time. Only the node-folder storage calls these.
 */
const load = (specifier: string): Promise<unknown> =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

export const nodeFsPromises = () =>
  load('node:fs/promises') as Promise<typeof import('node:fs/promises')>;
export const nodeFs = () => load('node:fs') as Promise<typeof import('node:fs')>;
export const nodePath = () => load('node:path') as Promise<typeof import('node:path')>;
