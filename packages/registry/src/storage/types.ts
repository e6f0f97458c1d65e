/** Called with a file's first 8 bytes and its size before the rest is read (may throw). */
export type PrefixCheck = (prefix: Uint8Array, size: number) => void;

/**
 * Where a saved model's files live: a folder on disk, a URL, browser storage. Files are small in
 * number (model.json, weights.safetensors, optimizer.safetensors) and read whole.
 */
export interface ModelStorage {
  /** For error messages: the folder or URL. */
  readonly location: string;
  /** The file's bytes, or null when it does not exist. */
  read(name: string, check?: PrefixCheck): Promise<Uint8Array | null>;
  /** Writes the files; each one appears whole or not at all (temp file, then rename). */
  write(files: ReadonlyMap<string, Uint8Array>): Promise<void>;
}
