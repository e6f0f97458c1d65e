import type { ModelStorage } from './types';

const DB = 'seqzoo-models';
const STORE = 'files';

function open(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** `indexeddb://name`: the files in one object store, all written in one transaction. */
export function indexedDbStorage(
  name: string,
  factory: IDBFactory = globalThis.indexedDB,
): ModelStorage {
  const key = (file: string) => `${name}/${file}`;
  return {
    location: `indexeddb://${name}`,
    async read(file, check) {
      const db = await open(factory);
      try {
        const value = await new Promise<unknown>((resolve, reject) => {
          const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(key(file));
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (value === undefined) return null;
        const bytes = new Uint8Array(value as ArrayBuffer);
        check?.(bytes.subarray(0, 8), bytes.byteLength);
        return bytes;
      } finally {
        db.close();
      }
    },
    async write(files) {
      const db = await open(factory);
      try {
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(STORE, 'readwrite');
          const store = tx.objectStore(STORE);
          for (const [file, bytes] of files) store.put(new Uint8Array(bytes).buffer, key(file));
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } finally {
        db.close();
      }
    },
    async remove(names) {
      const db = await open(factory);
      try {
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(STORE, 'readwrite');
          const store = tx.objectStore(STORE);
          for (const file of names) store.delete(key(file));
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } finally {
        db.close();
      }
    },
  };
}
