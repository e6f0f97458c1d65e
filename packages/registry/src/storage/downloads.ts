import type { ModelStorage } from './types';

/**
 * `downloads://name`: the browser downloads `name.model.json`, `name.weights.safetensors`, …;
 * put them in one folder without the `name.` prefix to load them with a folder or http URL.
 */
export function downloadsStorage(name: string): ModelStorage {
  return {
    location: `downloads://${name}`,
    async read() {
      throw new Error(
        `Cannot load from downloads://${name}: it is write only. Serve the downloaded files and load them with an http(s):// URL.`,
      );
    },
    async write(files) {
      for (const [file, bytes] of files) {
        const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)]));
        const a = document.createElement('a');
        a.href = url;
        a.download = `${name}.${file}`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 0);
      }
    },
  };
}
