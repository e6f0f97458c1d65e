import * as tf from '@tensorflow/tfjs-core';
import { ModelFileError } from './errors';
import type { SavableModule } from './module';
import { decodeWeights } from './quantize';
import { type ParseOptions, parseSafetensors, readHeaderLength } from './safetensors/parse';
import type { ModelStorage } from './storage/types';

/** What to do with NaN or ±Inf in loaded weights. */
export type NonFinitePolicy = 'reject' | 'warn' | 'allow';

/** Options of `readWeights`. */
export interface ReadWeightsOptions extends ParseOptions {
  /** Default 'reject': a model with NaN/Inf weights computes garbage, so it is an error. */
  nonFinite?: NonFinitePolicy;
  /** Where 'warn' reports (default console.warn). */
  onWarning?: (message: string) => void;
  /** Expected byte length and SHA-256 (from model.json). */
  expect?: { bytes: number; sha256: string };
  /** Computes the SHA-256 (hex) checked against `expect`; without it only the size is checked. */
  sha256?: (bytes: Uint8Array) => Promise<string>;
}

/**
 * Reads a safetensors file from storage into tf tensors (caller owns them): header bounded before
 * the file is read, every safetensors rule checked, optional checksum, non-finite values
 * rejected or reported.
 */
export async function readWeights(
  storage: ModelStorage,
  file: string,
  options: ReadWeightsOptions = {},
): Promise<Map<string, tf.Tensor>> {
  const where = `${storage.location}/${file}`;
  const bytes = await storage.read(file, (prefix, size) => {
    readHeaderLength(prefix, size, options.maxHeaderBytes);
  });
  if (bytes === null) throw new ModelFileError('MISSING_FILE', 'the file does not exist.', where);
  if (options.expect) {
    const sum = await options.sha256?.(bytes);
    if (
      bytes.byteLength !== options.expect.bytes ||
      (sum !== undefined && sum !== options.expect.sha256)
    ) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        'the file is not the one model.json was saved with (size or SHA-256 differ): a save was interrupted or files were mixed. Save the model again.',
        where,
      );
    }
  }
  // Quantized files (float16, int8 with per-channel scales) come back as float32.
  const decoded = [...decodeWeights(parseSafetensors(bytes, options), where)];
  const policy = options.nonFinite ?? 'reject';
  if (policy !== 'allow') {
    const bad = decoded
      .filter(([, d]) => d.dtype === 'float32' && d.values.some((v) => !Number.isFinite(v)))
      .map(([name]) => name);
    if (bad.length > 0) {
      const message = `non-finite values (NaN or ±Inf) in ${bad.map((b) => `'${b}'`).join(', ')}`;
      if (policy === 'reject') {
        throw new ModelFileError(
          'NON_FINITE_WEIGHTS',
          `${message}. The model was saved after training diverged; load an earlier checkpoint, or pass { nonFinite: 'warn' } to load it anyway.`,
          where,
        );
      }
      (options.onWarning ?? console.warn)(`${where}: ${message}.`);
    }
  }
  const out = new Map<string, tf.Tensor>();
  for (const [name, d] of decoded) out.set(name, tf.tensor(d.values, d.shape, d.dtype));
  return out;
}

/**
 * Checks `state` against the model's own state dict (every name present, no extra, same shapes)
 * and copies it in. Errors name the first tensor at fault and list what the model expects.
 */
export function applyWeights(
  model: SavableModule,
  state: Map<string, tf.Tensor>,
  where: string,
): void {
  const own = model.stateDict();
  for (const [name, target] of own) {
    const value = state.get(name);
    if (value === undefined) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `weight '${name}' (shape [${target.shape}]) is missing. The file holds: ${[...state.keys()].join(', ') || '(nothing)'}.`,
        where,
      );
    }
    if (!tf.util.arraysEqual(value.shape, target.shape)) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `weight '${name}' has shape [${value.shape}] but the model built from the config has [${target.shape}]: the config does not match the weights.`,
        where,
      );
    }
  }
  for (const name of state.keys()) {
    if (!own.has(name)) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `unexpected weight '${name}'; the model has ${[...own.keys()].join(', ')}.`,
        where,
      );
    }
  }
  model.loadStateDict(state, { strict: true });
}

export function disposeAll(tensors: Iterable<tf.Tensor>): void {
  for (const t of tensors) t.dispose();
}
