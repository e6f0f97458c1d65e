import type * as tf from '@tensorflow/tfjs-core';
import { ModelFileError } from './errors';
import type { SavableModule } from './module';
import type { PytorchMapping } from './pytorch-hooks';
import type { SafetensorsDtype } from './safetensors/dtypes';
import { parseSafetensors } from './safetensors/parse';
import type { ModelStorage, ReadLimits } from './storage/types';

/** One tensor the model expects in its weights file. */
export interface ExpectedTensor {
  readonly shape: readonly number[];
  readonly dtype: tf.DataType;
  readonly size: number;
}

/** The names, shapes and dtypes the model's weights file must hold (PyTorch names when mapped). */
export function expectedWeights(
  model: SavableModule,
  mapping: PytorchMapping | null,
): Map<string, ExpectedTensor> {
  const state = model.stateDict();
  const tensors = mapping ? mapping.toPytorch(model) : state;
  const out = new Map<string, ExpectedTensor>();
  for (const [name, t] of tensors) out.set(name, { shape: t.shape, dtype: t.dtype, size: t.size });
  if (mapping) {
    const live = new Set<tf.Tensor>(state.values());
    for (const t of tensors.values()) if (!live.has(t)) t.dispose();
  }
  return out;
}

const KIND: Record<SafetensorsDtype, 'float32' | 'int32' | 'bool'> = {
  F64: 'float32',
  F32: 'float32',
  F16: 'float32',
  BF16: 'float32',
  I64: 'int32',
  I32: 'int32',
  I16: 'int32',
  I8: 'int32',
  U8: 'int32',
  BOOL: 'bool',
};

/** Metadata key of @seqzoo/registry's quantized weights (int8 tensors with `<name>.__scale`). */
const QUANTIZED = 'seqzoo.quantization';

function list(names: Iterable<string>): string {
  const all = [...names];
  const shown = all.slice(0, 12).map((n) => `'${n}'`);
  return (
    (shown.join(', ') || '(nothing)') + (all.length > 12 ? ` and ${all.length - 12} more` : '')
  );
}

/**
 * Checks a weights file's header against the model built from the config: every name present,
 * none extra, the same shapes, and a dtype of the same kind (float data stored as I32 is refused,
 * never cast). Only the header is looked at; nothing is decoded. A file that is not valid
 * safetensors passes through, for readWeights to report after its checksum check.
 */
export function checkAgainstModel(
  bytes: Uint8Array,
  expected: ReadonlyMap<string, ExpectedTensor>,
  where: string,
  maxHeaderBytes: number,
): void {
  let parsed: ReturnType<typeof parseSafetensors>;
  try {
    parsed = parseSafetensors(bytes, { maxHeaderBytes });
  } catch {
    return;
  }
  const quantized = Object.hasOwn(parsed.metadata, QUANTIZED);
  for (const [name, want] of expected) {
    const got = parsed.tensors.get(name);
    if (got === undefined) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `weight '${name}' (shape [${want.shape}]) is missing. The file holds: ${list(parsed.tensors.keys())}.`,
        where,
      );
    }
    if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `weight '${name}' has shape [${got.shape}] but the model built from the config has [${want.shape}]: the config does not match the weights.`,
        where,
      );
    }
    if (!quantized && KIND[got.dtype] !== want.dtype) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `weight '${name}' is stored as ${got.dtype} but the model's is ${want.dtype}; it is not cast. The file is corrupt or for another model.`,
        where,
      );
    }
  }
  const extra = [...parsed.tensors.keys()].filter(
    (n) => !expected.has(n) && !(quantized && n.endsWith('.__scale')),
  );
  if (extra.length > 0) {
    throw new ModelFileError(
      'WEIGHTS_MISMATCH',
      `unexpected weights ${list(extra)}; the model has ${list(expected.keys())}. The file is for another model.`,
      where,
    );
  }
}

/** `storage` with a size limit on every read and an optional check of the bytes read. */
export function checkedStorage(
  storage: ModelStorage,
  options: { limits: ReadLimits; verify?: (bytes: Uint8Array) => void },
): ModelStorage {
  return {
    location: storage.location,
    async read(name, check, limits = {}) {
      const tighter =
        limits.maxBytes !== undefined && limits.maxBytes < (options.limits.maxBytes ?? Infinity)
          ? limits
          : options.limits;
      const bytes = await storage.read(name, check, tighter);
      if (bytes !== null && options.limits.maxBytes !== undefined) {
        // A storage that ignores limits (a custom one) still gets them enforced here.
        if (bytes.byteLength > options.limits.maxBytes) {
          throw new ModelFileError(
            'TOO_LARGE',
            `${bytes.byteLength} bytes is over the limit of ${options.limits.maxBytes}: ${options.limits.reason ?? 'too large'}.`,
            `${storage.location}/${name}`,
          );
        }
      }
      if (bytes !== null) options.verify?.(bytes);
      return bytes;
    },
    write: (files) => storage.write(files),
  };
}
