import type { ModelStorage } from './types';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * `localstorage://name`: each file base64-encoded under the key `seqzoo/<name>/<file>`. Browsers
 * give localStorage about 5 MB per origin: small models only (use indexeddb:// otherwise).
 */
export function localStorageStorage(
  name: string,
  storage: Storage = globalThis.localStorage,
): ModelStorage {
  const key = (file: string) => `seqzoo/${name}/${file}`;
  return {
    location: `localstorage://${name}`,
    async read(file, check) {
      const text = storage.getItem(key(file));
      if (text === null) return null;
      const bytes = fromBase64(text);
      check?.(bytes.subarray(0, 8), bytes.byteLength);
      return bytes;
    },
    async write(files) {
      // localStorage has no transactions: write the data files first and model.json last, so a
      // failure (quota) leaves the previous model.json, whose checksums then reject the mix.
      const ordered = [...files].sort(
        ([a], [b]) => Number(a === 'model.json') - Number(b === 'model.json'),
      );
      for (const [file, bytes] of ordered) storage.setItem(key(file), toBase64(bytes));
    },
    async remove(names) {
      for (const file of names) storage.removeItem(key(file));
    },
  };
}
