/**
 * The Node-only entry point, '@seqzoo/data/node': file paths and Node streams. The main entry
 * ('@seqzoo/data') never imports `node:*` modules, so it bundles for the browser as is.
 */
import { createReadStream } from 'node:fs';
import type { ByteSource } from './sources';

/** Options of `fromFile`. */
export interface FromFileOptions {
  /** Bytes per read. Default 64 KiB: small blocks keep parsed rows young for the garbage collector. */
  chunkSize?: number;
}

/**
 * A re-openable byte source for a file path: every read opens a fresh stream, so the reader can
 * be iterated for several epochs. Pass it to readLines / readCsv / readJsonl / textCorpus.
 */
export function fromFile(path: string, options: FromFileOptions = {}): () => ByteSource {
  const { chunkSize = 1 << 16 } = options;
  return () => createReadStream(path, { highWaterMark: chunkSize });
}
