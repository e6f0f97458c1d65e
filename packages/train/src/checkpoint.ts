import type { DatasetState, RngState } from '@seqzoo/data';
import type { OptimizerStateMeta, ScheduleState } from '@seqzoo/optimizers';
import {
  nodeFileSystem,
  SafetensorsError,
  safetensorsToTensors,
  sha256Hex,
  tensorsToSafetensors,
} from '@seqzoo/registry';
import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors';

/** The `format` tag written into every checkpoint. */
export const CHECKPOINT_FORMAT = 'seqzoo-checkpoint';
/** The checkpoint layout version this package writes and reads. */
export const CHECKPOINT_VERSION = 1;
const PREFIX = 'ckpt-';
const WEIGHTS = 'weights.safetensors';
const OPTIMIZER = 'optimizer.safetensors';
const TRAINER = 'trainer.json';
const BEST = 'best.safetensors';

/** Everything of a training run that is not a tensor: plain JSON. */
export interface TrainerState {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: typeof CHECKPOINT_VERSION;
  /** Optimizer steps taken. */
  step: number;
  /** Where the data pipeline stands: the next batch is `data.iterator(position)`'s first. */
  position: DatasetState;
  optimizer: OptimizerStateMeta;
  schedule: ScheduleState | null;
  rng: RngState | null;
  earlyStopping: unknown;
  /** Per-epoch summaries (loss, validation metrics). */
  history: unknown[];
  /** The running training loss of the current epoch, so that its mean survives a resume. */
  epochLoss: { sum: number; steps: number };
  /** Set by the final checkpoint of a run that stopped early: a resume does not train on. */
  stoppedEarly?: boolean;
  /** With fit's `restoreBest`: the best-so-far tracker and validation (weights in best.safetensors). */
  restoreBest?: { tracker: unknown; best: unknown };
  files: Record<string, { bytes: number; sha256: string }>;
}

/** What `readCheckpoint` returns: the trainer state, the weights and the optimizer state. */
export interface CheckpointContents {
  trainer: TrainerState;
  /** The model's state dict by seqzoo names (caller disposes). */
  weights: Map<string, tf.Tensor>;
  /** Optimizer buffers (caller disposes). */
  optimizer: Map<string, tf.Tensor>;
  /** The best weights on validation so far, when the run keeps them (caller disposes). */
  best: Map<string, tf.Tensor> | null;
}

// Checkpoints are a Node feature (fit without them runs anywhere): Node's fs comes from the
// registry's Node build (`nodeFileSystem`), so this package imports no Node built-in and a
// browser bundle of @seqzoo/train holds none.
const fsp = async () => nodeFileSystem().fsPromises;
const join = (...parts: string[]) => parts.join('/');

const pad = (step: number) => String(step).padStart(9, '0');

/** fsync a folder so that a rename in it is durable (best effort: Windows cannot open one). */
async function fsyncDir(dir: string): Promise<void> {
  const fs = await fsp();
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // The rename is still atomic.
  }
}

async function writeDurable(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await fsp();
  const h = await fs.open(path, 'wx');
  try {
    await h.writeFile(bytes);
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Writes a checkpoint folder `ckpt-<step>` under `dir` atomically: every file goes into a hidden
 * temp folder, is fsynced, and the folder is renamed into place — a reader (or a process killed
 * at any instant) sees the whole checkpoint or none of it. Returns the checkpoint's path.
 */
export async function writeCheckpoint(
  dir: string,
  state: Omit<TrainerState, 'format' | 'formatVersion' | 'files'>,
  weights: ReadonlyMap<string, tf.Tensor>,
  optimizer: ReadonlyMap<string, tf.Tensor>,
  best?: ReadonlyMap<string, tf.Tensor>,
): Promise<string> {
  const fs = await fsp();
  await fs.mkdir(dir, { recursive: true });
  const name = `${PREFIX}${pad(state.step)}`;
  const tmp = join(dir, `.tmp-${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await fs.mkdir(tmp);
  try {
    const w = await tensorsToSafetensors(weights, { naming: 'seqzoo' });
    const o = await tensorsToSafetensors(optimizer);
    const b = best ? await tensorsToSafetensors(best, { naming: 'seqzoo' }) : null;
    const trainer: TrainerState = {
      format: CHECKPOINT_FORMAT,
      formatVersion: CHECKPOINT_VERSION,
      ...state,
      files: {
        [WEIGHTS]: { bytes: w.byteLength, sha256: await sha256Hex(w) },
        [OPTIMIZER]: { bytes: o.byteLength, sha256: await sha256Hex(o) },
        ...(b ? { [BEST]: { bytes: b.byteLength, sha256: await sha256Hex(b) } } : {}),
      },
    };
    await writeDurable(join(tmp, WEIGHTS), w);
    await writeDurable(join(tmp, OPTIMIZER), o);
    if (b) await writeDurable(join(tmp, BEST), b);
    await writeDurable(
      join(tmp, TRAINER),
      new TextEncoder().encode(`${JSON.stringify(trainer, null, 1)}\n`),
    );
    await fsyncDir(tmp);
    const target = join(dir, name);
    const existing = await fs.stat(target).catch(() => null);
    if (existing) await discard(dir, name);
    await fs.rename(tmp, target);
    await fsyncDir(dir);
    return target;
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Moves a checkpoint out of the way atomically, then deletes it (never half a checkpoint left). */
async function discard(dir: string, name: string): Promise<void> {
  const fs = await fsp();
  const trash = join(dir, `.trash-${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await fs.rename(join(dir, name), trash);
  await fs.rm(trash, { recursive: true, force: true });
}

/** Complete checkpoints under `dir`, oldest first, as `{ step, path }`. */
export async function listCheckpoints(dir: string): Promise<{ step: number; path: string }[]> {
  const fs = await fsp();
  const names = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  return names
    .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
    .map((n) => ({ step: Number(n.slice(PREFIX.length)), path: join(dir, n) }))
    .sort((a, b) => a.step - b.step);
}

/** Keeps the newest `keep` checkpoints and clears temp/trash folders left by killed runs. */
export async function pruneCheckpoints(dir: string, keep: number): Promise<void> {
  const all = await listCheckpoints(dir);
  for (const c of all.slice(0, Math.max(0, all.length - keep)))
    await discard(dir, c.path.slice(dir.length + 1));
}

/** Deletes the hidden temp folders of writes that a killed process never finished. */
export async function clearStaleTemps(dir: string): Promise<void> {
  const fs = await fsp();
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const n of names) {
    if (n.startsWith('.tmp-') || n.startsWith('.trash-'))
      await fs.rm(join(dir, n), { recursive: true, force: true });
  }
}

/** Reads a checkpoint folder, checking its format, files' sizes and checksums. */
export async function readCheckpoint(path: string): Promise<CheckpointContents> {
  const fs = await fsp();
  let trainer: TrainerState;
  try {
    trainer = JSON.parse(await fs.readFile(join(path, TRAINER), 'utf8'));
  } catch (cause) {
    throw new CheckpointError(`${TRAINER} is missing or not JSON.`, path, { cause });
  }
  if (trainer?.format !== CHECKPOINT_FORMAT || trainer.formatVersion !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `not a seqzoo checkpoint of format version ${CHECKPOINT_VERSION} (found ${JSON.stringify(trainer?.format)} v${JSON.stringify(trainer?.formatVersion)}).`,
      path,
    );
  }
  const files: Record<string, Map<string, tf.Tensor>> = {};
  const names = trainer.files?.[BEST] ? [WEIGHTS, OPTIMIZER, BEST] : [WEIGHTS, OPTIMIZER];
  for (const file of names) {
    const bytes = new Uint8Array(await fs.readFile(join(path, file)));
    const expect = trainer.files?.[file];
    if (
      !expect ||
      expect.bytes !== bytes.byteLength ||
      expect.sha256 !== (await sha256Hex(bytes))
    ) {
      for (const m of Object.values(files)) for (const t of m.values()) t.dispose();
      throw new CheckpointError(
        `${file} does not match the size/SHA-256 recorded in ${TRAINER}.`,
        path,
      );
    }
    try {
      files[file] = safetensorsToTensors(bytes).tensors;
    } catch (cause) {
      if (cause instanceof SafetensorsError)
        throw new CheckpointError(`${file}: ${cause.message}`, path, { cause });
      throw cause;
    }
  }
  return {
    trainer,
    weights: files[WEIGHTS],
    optimizer: files[OPTIMIZER],
    best: files[BEST] ?? null,
  };
}

/** The newest complete checkpoint under `dir`, or null when there is none. */
export async function latestCheckpoint(dir: string): Promise<string | null> {
  const all = await listCheckpoints(dir);
  return all.length ? all[all.length - 1].path : null;
}
