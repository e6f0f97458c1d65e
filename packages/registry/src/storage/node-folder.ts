import { writeFileAtomic } from './atomic-write';
import type { ModelStorage, PrefixCheck } from './types';

/** A folder on disk (a path or a file:// URL). Node only. */
export function folderStorage(folder: string): ModelStorage {
  const dir = folder.startsWith('file://') ? new URL(folder).pathname : folder;
  return {
    location: dir,
    async read(name: string, check?: PrefixCheck) {
      const fs = await import('node:fs/promises');
      const { join } = await import('node:path');
      let handle: Awaited<ReturnType<typeof fs.open>>;
      try {
        handle = await fs.open(join(dir, name), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      try {
        const { size } = await handle.stat();
        if (check) {
          const prefix = new Uint8Array(Math.min(8, size));
          await handle.read(prefix, 0, prefix.length, 0);
          check(prefix, size);
        }
        const bytes = new Uint8Array(size);
        let offset = 0;
        while (offset < size) {
          const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
        }
        return offset === size ? bytes : bytes.subarray(0, offset);
      } finally {
        await handle.close();
      }
    },
    async write(files) {
      const fs = await import('node:fs/promises');
      const { join } = await import('node:path');
      await fs.mkdir(dir, { recursive: true });
      for (const [name, bytes] of files) await writeFileAtomic(join(dir, name), bytes);
    },
  };
}
