import * as tf from '@tensorflow/tfjs-core';
import { decodeTensor } from './decode';
import { type EncodableTensor, encodeSafetensors } from './encode';
import { SafetensorsError } from './errors';
import { type ParseOptions, parseSafetensors } from './parse';

/** Parses safetensors bytes into tf tensors (the caller owns and disposes them). */
export function safetensorsToTensors(
  file: Uint8Array,
  options: ParseOptions = {},
): { tensors: Map<string, tf.Tensor>; metadata: Record<string, string> } {
  const parsed = parseSafetensors(file, options);
  const decoded = [...parsed.tensors].map(
    ([name, raw]) => [name, decodeTensor(name, raw)] as const,
  );
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, d] of decoded) tensors.set(name, tf.tensor(d.values, d.shape, d.dtype));
  return { tensors, metadata: parsed.metadata };
}

/** Reads the tensors' values (async, any backend) and serialises them to safetensors bytes. */
export async function tensorsToSafetensors(
  tensors: ReadonlyMap<string, tf.Tensor> | Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const out = new Map<string, EncodableTensor>();
  for (const [name, t] of entries) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') {
      throw new SafetensorsError(
        'UNSUPPORTED_TENSOR',
        `dtype ${t.dtype} cannot be written; use float32, int32 or bool.`,
        name,
      );
    }
    const values = (await t.data()) as Float32Array | Int32Array | Uint8Array;
    out.set(name, { dtype: t.dtype, shape: t.shape, values });
  }
  return encodeSafetensors(out, metadata);
}
