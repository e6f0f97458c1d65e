import { resolveStorage } from './resolve';
import type { ModelStorage } from './types';

/**
 * A read-only registry storage over one URL per file: `file:` URLs read from disk (Node, by the
 * registry's folder storage), others fetched (browsers, Node ≥ 18 for http).
 */
export function urlStorage(files: Record<string, URL | string>, location: string): ModelStorage {
  return {
    location,
    async read(name, check) {
      const url = files[name];
      if (url === undefined) return null;
      const href = String(url);
      let bytes: Uint8Array;
      if (href.startsWith('file:')) {
        // Node: read through the folder storage (Node's file system reaches it from this
        // package's Node build); no Node built-in is imported here.
        const file = new URL(href);
        const base = decodeURIComponent(file.pathname.slice(file.pathname.lastIndexOf('/') + 1));
        const found = await resolveStorage(new URL('.', file).href).read(base);
        if (found === null) return null;
        bytes = found;
      } else {
        const response = await fetch(href);
        if (response.status === 404) return null;
        if (!response.ok) {
          throw new Error(`GET ${href} failed: ${response.status} ${response.statusText}.`);
        }
        bytes = new Uint8Array(await response.arrayBuffer());
      }
      check?.(bytes.subarray(0, 8), bytes.byteLength);
      return bytes;
    },
    async write() {
      throw new Error(`${location} is read only: the model ships inside its package.`);
    },
  };
}
