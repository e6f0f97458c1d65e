import type { ModelStorage } from './types';

/**
 * Files under an http(s) URL: `<url>/model.json`, `<url>/weights.safetensors`, …, read with
 * `fetch`. Read only: saving to a server is the server's business (POST the files yourself).
 */
export function httpStorage(url: string, init?: RequestInit): ModelStorage {
  const base = url.endsWith('/') ? url : `${url}/`;
  return {
    location: url,
    async read(name, check) {
      const response = await fetch(new URL(name, base), init);
      if (response.status === 404) return null;
      if (!response.ok) {
        throw new Error(
          `GET ${new URL(name, base)} failed: ${response.status} ${response.statusText}.`,
        );
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      check?.(bytes.subarray(0, 8), bytes.byteLength);
      return bytes;
    },
    async write() {
      throw new Error(
        `Cannot save to ${url}: http(s) URLs are read only. Save to a folder, indexeddb:// or downloads:// and upload the files.`,
      );
    },
  };
}
