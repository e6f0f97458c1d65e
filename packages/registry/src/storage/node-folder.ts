import { ModelFileError } from '../errors';
import { writeFileAtomic } from './atomic-write';
import { checkFileName } from './file-name';
import { fsError } from './fs-errors';
import { nodeFs, nodeFsPromises, nodePath } from './node-builtin';
import type { ModelStorage, PrefixCheck, ReadLimits } from './types';

/** Options of `folderStorage`. */
export interface FolderStorageOptions {
  /**
   * How one file is written (default `writeFileAtomic`: temp file, fsync, rename). A hook for
   * tests that inject a failure mid-save, or for a custom durability policy.
   */
  writeFile?: (path: string, bytes: Uint8Array) => Promise<void>;
}

/** model.json last: replacing it is what commits a save (see saveModel). */
function manifestLast(files: ReadonlyMap<string, Uint8Array>): [string, Uint8Array][] {
  return [...files].sort(([a], [b]) => Number(a === 'model.json') - Number(b === 'model.json'));
}

/**
 * A folder on disk (a path or a file:// URL). Node only: exported by '@seqzoo/registry/node'. Reads are confined to the folder: plain
 * file names only, a symlink must resolve inside the folder, and only regular files are read (a
 * FIFO or device is refused without blocking).
 */
export function folderStorage(folder: string, options: FolderStorageOptions = {}): ModelStorage {
  const dir = folder.startsWith('file://') ? decodeURIComponent(new URL(folder).pathname) : folder;
  return {
    location: dir,
    async read(name: string, check?: PrefixCheck, limits: ReadLimits = {}) {
      const fs = await nodeFsPromises();
      const { constants } = await nodeFs();
      const { join, relative, isAbsolute, sep } = await nodePath();
      checkFileName(name, dir, 'folder');
      const path = join(dir, name);
      let real: string;
      try {
        const realDir = await fs.realpath(dir);
        real = await fs.realpath(path);
        const rel = relative(realDir, real);
        if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
          throw new ModelFileError(
            'UNSAFE_PATH',
            'is a symbolic link to a file outside the model folder; a saved model reads only its own files. Copy the file into the folder instead.',
            path,
          );
        }
        const st = await fs.stat(real);
        if (!st.isFile()) throw notAFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw fsError(error, path);
      }
      let handle: Awaited<ReturnType<typeof fs.open>>;
      try {
        // O_NONBLOCK: should the file have become a FIFO since the stat, open does not wait.
        handle = await fs.open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw fsError(error, path);
      }
      try {
        const st = await handle.stat();
        if (!st.isFile()) throw notAFile(path);
        const { size } = st;
        if (check) {
          const prefix = new Uint8Array(Math.min(8, size));
          await handle.read(prefix, 0, prefix.length, 0);
          check(prefix, size);
        }
        if (limits.maxBytes !== undefined && size > limits.maxBytes) {
          throw new ModelFileError(
            'TOO_LARGE',
            `${size} bytes is over the limit of ${limits.maxBytes}: ${limits.reason ?? 'too large for this file'}.`,
            path,
          );
        }
        const bytes = new Uint8Array(size);
        let offset = 0;
        while (offset < size) {
          const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
        }
        return offset === size ? bytes : bytes.subarray(0, offset);
      } catch (error) {
        throw fsError(error, path);
      } finally {
        await handle.close();
      }
    },
    async write(files) {
      const fs = await nodeFsPromises();
      const { join } = await nodePath();
      for (const name of files.keys()) checkFileName(name, dir, 'folder');
      try {
        await fs.mkdir(dir, { recursive: true });
      } catch (error) {
        throw fsError(error, dir);
      }
      for (const [name, bytes] of manifestLast(files)) {
        const path = join(dir, name);
        try {
          await (options.writeFile ?? writeFileAtomic)(path, bytes);
        } catch (error) {
          throw fsError(error, path);
        }
      }
    },
    async remove(names) {
      const fs = await nodeFsPromises();
      const { join } = await nodePath();
      for (const name of names) {
        checkFileName(name, dir, 'folder');
        try {
          await fs.rm(join(dir, name), { force: true });
        } catch (error) {
          throw fsError(error, join(dir, name));
        }
      }
    },
  };
}

function notAFile(path: string): ModelFileError {
  return new ModelFileError(
    'NOT_A_FILE',
    'is not a regular file (a FIFO, device or folder?); a saved model reads only regular files.',
    path,
  );
}
