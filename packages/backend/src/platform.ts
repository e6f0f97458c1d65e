/** Where the code runs (`currentPlatform()`): Node (Deno and Bun included) or a browser or worker. */
export type Platform = 'node' | 'browser';

/** Where this code runs. Deno and Bun count as node when they expose `process.versions.node`. */
export function currentPlatform(): Platform {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown };
  const isWorker = typeof (globalThis as { importScripts?: unknown }).importScripts === 'function';
  if (g.window !== undefined || isWorker) return 'browser';
  return g.process?.versions?.node ? 'node' : 'browser';
}
