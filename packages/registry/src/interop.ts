import type { Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { ModelFileError } from './errors';
import { exportPytorchState, importPytorchState } from './pytorch';
import { DEFAULT_MAX_HEADER_BYTES, parseSafetensors } from './safetensors/parse';
import { tensorsToSafetensors } from './safetensors/tensors';
import { writeFileAtomic } from './storage/atomic-write';
import { httpStorage } from './storage/http';
import type { ModelStorage } from './storage/types';
import { nameMismatch, renameWeight, type WeightRename } from './weight-names';
import { applyWeights, disposeAll, type ReadWeightsOptions, readWeights } from './weights';
import {
  checkAgainstModel,
  checkedStorage,
  type ExpectedTensor,
  expectedWeights,
} from './weights-check';

/** The default PyTorch mapping (exportPytorchState), as expectedWeights takes it. */
function pytorchMappingOf() {
  return {
    toPytorch: (m: unknown) => exportPytorchState(m as Module),
    fromPytorch: () => {},
  };
}

/** Options of `importWeights`. */
export interface ImportWeightsOptions
  extends Pick<ReadWeightsOptions, 'nonFinite' | 'onWarning' | 'maxHeaderBytes'> {
  /** 'pytorch' (names and layouts of `state_dict()`, default) or 'seqzoo' (our `stateDict()`). */
  from?: 'pytorch' | 'seqzoo';
  /**
   * Prefix rewrites of the file's tensor names, applied before they are matched with the
   * model's: `[['head.', 'decoder.']]` reads `head.weight` as `decoder.weight`, `[['module.', '']]`
   * drops the prefix of a `DistributedDataParallel` wrapper's `state_dict()`. Per name, the first
   * rule whose prefix it starts with applies; names no rule matches stay as they are.
   */
  rename?: readonly WeightRename[];
}

/** Metadata key of quantized weights (int8 tensors with `<name>.__scale` beside them). */
const QUANTIZED = 'seqzoo.quantization';

/**
 * Checks the file's names against the model's (after `rename`), reporting every mismatch at
 * once; then the shapes and dtypes by checkAgainstModel, under the file's own names.
 */
function checkNames(
  bytes: Uint8Array,
  expected: ReadonlyMap<string, ExpectedTensor>,
  rename: readonly WeightRename[],
  where: string,
  maxHeaderBytes: number,
): void {
  let parsed: ReturnType<typeof parseSafetensors>;
  try {
    parsed = parseSafetensors(bytes, { maxHeaderBytes });
  } catch {
    // not valid safetensors: readWeights reports it
    return;
  }
  const quantized = Object.hasOwn(parsed.metadata, QUANTIZED);
  const file = new Map<string, readonly number[]>();
  for (const [name, t] of parsed.tensors)
    if (!(quantized && name.endsWith('.__scale'))) file.set(name, t.shape);
  const shapes = new Map([...expected].map(([name, e]) => [name, e.shape] as const));
  const problem = nameMismatch(shapes, file, rename);
  if (problem) throw new ModelFileError('WEIGHTS_MISMATCH', problem, where);
  // in the model's order, as checkAgainstModel reports the first misshapen weight
  const fileName = new Map([...file.keys()].map((name) => [renameWeight(name, rename), name]));
  const byFileName = new Map(
    [...expected].map(([name, e]) => [fileName.get(name) as string, e] as const),
  );
  checkAgainstModel(bytes, byFileName, where, maxHeaderBytes);
}

/** A storage that serves one file given as bytes, a path (Node) or an http(s) URL. */
function single(source: string | Uint8Array): { storage: ModelStorage; file: string } {
  if (source instanceof Uint8Array) {
    return {
      file: 'weights',
      storage: {
        location: '(bytes)',
        async read(_n, check) {
          check?.(source.subarray(0, 8), source.byteLength);
          return source;
        },
        async write() {
          throw new Error('read only');
        },
      },
    };
  }
  const cut = source.lastIndexOf('/');
  const dir = cut < 0 ? '.' : source.slice(0, cut) || '/';
  const file = source.slice(cut + 1);
  return { file, storage: storageFor(dir) };
}

function storageFor(dir: string): ModelStorage {
  // Limits, time-outs, redirect policy and typed errors of httpStorage (issue 20 item 4).
  if (/^https?:\/\//i.test(dir)) return httpStorage(dir);
  // Node: a path or file:// URL.
  return {
    location: dir,
    async read(name, check) {
      const { folderStorage } = await import('./storage/node-folder');
      return folderStorage(dir).read(name, check);
    },
    async write() {
      throw new Error('read only');
    },
  };
}

/**
 * Loads weights from a safetensors file into `model`: a PyTorch `state_dict()` (the default) or
 * a seqzoo state dict. The file passes every safetensors check; its names (after `rename`) and
 * shapes must match the model exactly, or `ModelFileError('WEIGHTS_MISMATCH')` lists every
 * missing name and every tensor of the file that the model does not take (or names the first
 * misshapen one) — and the model keeps its previous weights.
 */
export async function importWeights(
  model: Module,
  source: string | Uint8Array,
  options: ImportWeightsOptions = {},
): Promise<void> {
  const { storage, file } = single(source);
  const where = typeof source === 'string' ? source : '(bytes)';
  const pytorch = (options.from ?? 'pytorch') === 'pytorch';
  const rename = options.rename ?? [];
  // Names, shapes and dtype kinds checked against the model before anything is decoded.
  const expected = expectedWeights(model, pytorch ? pytorchMappingOf() : null);
  const headerBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const checked = checkedStorage(storage, {
    limits: {
      maxBytes: 8 + headerBytes + 8 * [...expected.values()].reduce((n, e) => n + e.size, 0),
      reason: 'more than a weights file of this model can be',
    },
    verify: (bytes) => checkNames(bytes, expected, rename, where, headerBytes),
  });
  const read = await readWeights(checked, file, options);
  const tensors = rename.length
    ? new Map([...read].map(([name, t]) => [renameWeight(name, rename), t] as const))
    : read;
  const backup = new Map([...model.stateDict()].map(([k, t]) => [k, tf.clone(t)] as const));
  try {
    if (pytorch) importPytorchState(model, tensors, where);
    else applyWeights(model, tensors, where);
  } catch (error) {
    model.loadStateDict(backup, { strict: false });
    throw error;
  } finally {
    disposeAll(tensors.values());
    disposeAll(backup.values());
  }
}

/**
 * The model's weights as safetensors bytes, under PyTorch's names and layouts (default) or
 * seqzoo's; written atomically to `path` when one is given (Node).
 */
export async function exportWeights(
  model: Module,
  path?: string,
  options: { to?: 'pytorch' | 'seqzoo' } = {},
): Promise<Uint8Array> {
  const pytorch = (options.to ?? 'pytorch') === 'pytorch';
  const state = pytorch ? exportPytorchState(model) : model.stateDict();
  try {
    const bytes = await tensorsToSafetensors(state, { format: pytorch ? 'pt' : 'seqzoo' });
    if (path !== undefined) await writeFileAtomic(path, bytes);
    return bytes;
  } finally {
    if (pytorch) disposeAll(state.values());
  }
}
