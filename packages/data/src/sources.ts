import { DataArgumentError } from './errors';

/**
 * Where bytes come from, in Node and in the browser: a `Blob` or `File`, a `ReadableStream` of
 * bytes (e.g. `response.body`), a `URL` (fetched), any (async) iterable of `Uint8Array` chunks
 * (a Node `Readable` is one: its `Buffer`s are `Uint8Array`s), or a whole `Uint8Array`.
 * File paths are in the Node entry point: `fromFile(path)` from '@seqzoo/data/node'.
 *
 * Streams and iterators can be read once. To read one several times (epochs, `repeat`), pass a
 * function that returns a fresh source: `() => fs.createReadStream(path)`.
 */
export type ByteSource =
  | Blob
  | ReadableStream<Uint8Array>
  | URL
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | Uint8Array;

/** What the readers read: bytes, a Blob, a URL, a stream, or a function that opens one afresh. */
export type SourceLike = ByteSource | (() => ByteSource);

/** Whether `source` can be read again from the start (a Blob, URL, byte array or factory). */
export function isReopenable(source: SourceLike): boolean {
  return (
    typeof source === 'function' ||
    source instanceof Uint8Array ||
    (typeof Blob !== 'undefined' && source instanceof Blob) ||
    source instanceof URL ||
    (Array.isArray(source) as boolean)
  );
}

async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (stream.locked)
    throw new DataArgumentError(
      'This ReadableStream is already locked (being read or read before); a stream can be read once. Pass a function that returns a fresh stream.',
    );
  const reader = stream.getReader();
  let done = false;
  try {
    while (true) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function isReadableStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof (x as ReadableStream)?.getReader === 'function';
}

/** The chunks of a source, checked to be bytes. */
export async function* byteChunks(source: SourceLike): AsyncGenerator<Uint8Array> {
  const src = typeof source === 'function' ? source() : source;
  let it: AsyncIterable<unknown> | Iterable<unknown>;
  if (src instanceof Uint8Array) it = [src];
  else if (typeof Blob !== 'undefined' && src instanceof Blob) it = readStream(src.stream());
  else if (src instanceof URL) {
    const res = await fetch(src);
    if (!res.ok || !res.body)
      throw new DataArgumentError(
        `Fetching ${src.href} failed: HTTP ${res.status} ${res.statusText}.`,
      );
    it = readStream(res.body);
  } else if (isReadableStream(src)) it = readStream(src);
  else if (src && (Symbol.asyncIterator in src || Symbol.iterator in src))
    it = src as AsyncIterable<unknown>;
  else
    throw new DataArgumentError(
      `Not a byte source: ${Object.prototype.toString.call(src)}. Pass a Blob/File, ReadableStream, URL, Uint8Array or (async) iterable of Uint8Array; for a file path use fromFile(path) from '@seqzoo/data/node'.`,
    );
  for await (const chunk of it) {
    if (!(chunk instanceof Uint8Array))
      throw new DataArgumentError(
        `A byte source yielded ${typeof chunk === 'string' ? 'a string' : Object.prototype.toString.call(chunk)}, not a Uint8Array. Do not set an encoding on the stream: the readers decode UTF-8 themselves.`,
      );
    yield chunk;
  }
}
