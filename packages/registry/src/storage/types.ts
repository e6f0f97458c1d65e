/** Called with a file's first 8 bytes and its size before the rest is read (may throw). */
export type PrefixCheck = (prefix: Uint8Array, size: number) => void;

/** Limits on one read. */
export interface ReadLimits {
  /** Refuse a file larger than this (before reading it where the size is known up front). */
  maxBytes?: number;
  /** Why the limit is what it is, for the error message. */
  reason?: string;
}

/**
 * Where a saved model's files live: a folder on disk, a URL, browser storage. Files are small in
 * number (model.json, weights.safetensors, optimizer.safetensors) and read whole. Names are plain
 * file names (no `/`, no `..`): a storage refuses anything else (`ModelFileError('UNSAFE_PATH')`).
 */
export interface ModelStorage {
  /** For error messages: the folder or URL. */
  readonly location: string;
  /** The file's bytes, or null when it does not exist. */
  read(name: string, check?: PrefixCheck, limits?: ReadLimits): Promise<Uint8Array | null>;
  /**
   * Writes the files; each one appears whole or not at all (temp file, then rename), and
   * `model.json` is written last, so that it is the one file whose replacement commits a save.
   */
  write(files: ReadonlyMap<string, Uint8Array>): Promise<void>;
  /** Deletes files (missing ones are fine). Optional: without it, saveModel leaves old files. */
  remove?(names: readonly string[]): Promise<void>;
}
