import { nodeFsPromises, nodePath } from './node-builtin';
/**
 * Writes `bytes` to `path` so that a reader (or a crash) never sees a half-written file: write a
 * temp file beside it, fsync, rename over the target, fsync the folder. On any failure (a full
 * disk mid-write included) the temp file is removed and the target is left as it was. Node only.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await nodeFsPromises();
  const { dirname, basename, join } = await nodePath();
  const dir = dirname(path);
  const tmp = join(
    dir,
    `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  const handle = await fs.open(tmp, 'wx');
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw error;
  }
  await fsyncDir(dir);
}

/** fsync a folder so that a rename in it is durable (best effort: not every platform allows it). */
export async function fsyncDir(dir: string): Promise<void> {
  const fs = await nodeFsPromises();
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic.
  }
}
