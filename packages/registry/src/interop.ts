import type { Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { exportPytorchState, importPytorchState } from './pytorch';
import { DEFAULT_MAX_HEADER_BYTES } from './safetensors/parse';
import { tensorsToSafetensors } from './safetensors/tensors';
import { writeFileAtomic } from './storage/atomic-write';
import { httpStorage } from './storage/http';
import type { ModelStorage } from './storage/types';
import { applyWeights, disposeAll, type ReadWeightsOptions, readWeights } from './weights';
import { checkAgainstModel, checkedStorage, expectedWeights } from './weights-check';

/** The default PyTorch mapping (exportPytorchState), as expectedWeights takes it. */
function pytorchMappingOf() {
  return {
    toPytorch: (m: unknown) => exportPytorchState(m as Module),
    fromPytorch: () => {},
  };
}

export interface ImportWeightsOptions
  extends Pick<ReadWeightsOptions, 'nonFinite' | 'onWarning' | 'maxHeaderBytes'> {
  /** 'pytorch' (names and layouts of `state_dict()`, default) or 'seqzoo' (our `stateDict()`). */
  from?: 'pytorch' | 'seqzoo';
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
 * a seqzoo state dict. The file passes every safetensors check; names and shapes must match the
 * model exactly, or `ModelFileError('WEIGHTS_MISMATCH')` names the first that does not — and the
 * model keeps its previous weights.
 */
export async function importWeights(
  model: Module,
  source: string | Uint8Array,
  options: ImportWeightsOptions = {},
): Promise<void> {
  const { storage, file } = single(source);
  const where = typeof source === 'string' ? source : '(bytes)';
  const pytorch = (options.from ?? 'pytorch') === 'pytorch';
  // Names, shapes and dtype kinds checked against the model before anything is decoded.
  const expected = expectedWeights(model, pytorch ? pytorchMappingOf() : null);
  const headerBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const checked = checkedStorage(storage, {
    limits: {
      maxBytes: 8 + headerBytes + 8 * [...expected.values()].reduce((n, e) => n + e.size, 0),
      reason: 'more than a weights file of this model can be',
    },
    verify: (bytes) => checkAgainstModel(bytes, expected, where, headerBytes),
  });
  const tensors = await readWeights(checked, file, options);
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
