import { z } from 'zod';
import { ModelFileError } from './errors';
import { checkFileName } from './storage/file-name';

/** `model.json`'s `format`: what marks a folder as a saved seqzoo model. */
export const FORMAT = 'seqzoo-model';
/** The `formatVersion` this package writes (and the newest it reads). */
export const FORMAT_VERSION = 1;
/** The manifest of a saved model: config, vocabularies, and the size and SHA-256 of each file. */
export const MODEL_JSON = 'model.json';
/** The weights' file name in a saved model (safetensors). */
export const WEIGHTS_FILE = 'weights.safetensors';
/** The optimizer state's file name in a saved model (safetensors), when saved with one. */
export const OPTIMIZER_FILE = 'optimizer.safetensors';
/** model.json is small; anything larger is refused before it is parsed. */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

const fileRef = z.object({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
});

const modelJsonSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  modelId: z.string(),
  config: z.unknown(),
  vocabularies: z.record(z.string(), z.unknown()).default({}),
  training: z.record(z.string(), z.unknown()).default({}),
  weights: fileRef.extend({ naming: z.enum(['seqzoo', 'pytorch']) }),
  optimizer: fileRef.extend({ state: z.unknown() }).nullable().default(null),
  savedWith: z.record(z.string(), z.unknown()).optional(),
});

/** The parsed model.json of a saved model (format version 1). */
export type ModelJson = z.output<typeof modelJsonSchema>;

/** Parses and checks model.json; typed errors for bad JSON and unknown format versions. */
export function parseModelJson(bytes: Uint8Array, location: string): ModelJson {
  const file = `${location}/${MODEL_JSON}`;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new ModelFileError(
      'BAD_MODEL_JSON',
      `not valid UTF-8 JSON (${(cause as Error).message}).`,
      file,
      { cause },
    );
  }
  const head = value as { format?: unknown; formatVersion?: unknown } | null;
  if (
    head &&
    typeof head === 'object' &&
    head.format === FORMAT &&
    head.formatVersion !== FORMAT_VERSION
  ) {
    throw new ModelFileError(
      'UNKNOWN_FORMAT_VERSION',
      `format version ${JSON.stringify(head.formatVersion)} is not one this @seqzoo/registry reads (it reads ${FORMAT_VERSION}). Upgrade @seqzoo/registry to load it.`,
      file,
    );
  }
  const parsed = modelJsonSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ModelFileError('BAD_MODEL_JSON', `not a seqzoo model.json (${issues}).`, file);
  }
  // The files it names must be plain names inside the model folder (issue 20: `../other/…`,
  // absolute paths and URLs were followed).
  checkFileName(parsed.data.weights.file, file);
  if (parsed.data.optimizer) checkFileName(parsed.data.optimizer.file, file);
  return parsed.data;
}

/** The SHA-256 of `bytes` as lowercase hex (Web Crypto: Node and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
