import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReaderError } from './errors';
import { fromFile } from './node';
import { readLines } from './read-lines';
import { bytes, tempFiles } from './test-files';

const files = tempFiles();

describe('readLines', () => {
  it('decodes multi-byte characters split across chunks, for every chunk size', async () => {
    const text = 'héllo wörld\n日本語のテキスト\n😀 emoji 🎉\nlast line without newline';
    const path = files.write('utf8.txt', text);
    const expected = text.split('\n');
    for (const chunkSize of [1, 2, 3, 5, 7, 64]) {
      expect(await readLines(fromFile(path, { chunkSize })).toArray()).toEqual(expected);
    }
  });

  it('handles CRLF and a BOM, and keeps empty lines unless asked', async () => {
    const path = files.write('crlf.txt', bytes([0xef, 0xbb, 0xbf], 'first\r\n\r\nthird\r\n'));
    for (const chunkSize of [1, 2, 4, 1024]) {
      expect(await readLines(fromFile(path, { chunkSize })).toArray()).toEqual([
        'first',
        '',
        'third',
      ]);
    }
    expect(await readLines(fromFile(path), { skipEmpty: true }).toArray()).toEqual([
      'first',
      'third',
    ]);
  });

  it('reports an invalid UTF-8 sequence with its line number, or skips and counts it', async () => {
    const path = files.write(
      'bad.txt',
      bytes('ok 1\nok 2\nbad ', [0xff, 0xfe], ' here\nok 4\ntrunc ', [0xe6, 0x97]),
    );
    const err = await readLines(fromFile(path, { chunkSize: 3 }))
      .toArray()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect(err.kind).toBe('invalid-utf8');
    expect(err.line).toBe(3);
    expect(err.message).toMatch(
      /^Line 3: invalid UTF-8 byte sequence at byte 5 of the line \(bytes ff fe/,
    );

    const skipped: number[] = [];
    const reader = readLines(fromFile(path, { chunkSize: 3 }), {
      onError: 'skip',
      onSkip: (e) => skipped.push(e.line),
    });
    expect(await reader.toArray()).toEqual(['ok 1', 'ok 2', 'ok 4']);
    expect(skipped).toEqual([3, 5]);
    expect(reader.stats.skipped).toBe(2);
  });

  it('reads a Node stream once, and a fromFile source every epoch', async () => {
    const path = files.write('two.txt', 'a\nb\n');
    const once = readLines(createReadStream(path));
    expect(await once.toArray()).toEqual(['a', 'b']);
    await expect(once.toArray()).rejects.toThrow(/can be read once/);
    const again = readLines(fromFile(path));
    expect(await again.toArray()).toEqual(await again.toArray());
  });

  it('rejects a stream that yields strings, saying why', async () => {
    const path = files.write('enc.txt', 'x\n');
    await expect(readLines(createReadStream(path, { encoding: 'utf8' })).toArray()).rejects.toThrow(
      /Do not set an encoding/,
    );
  });
});

describe('readLines sources', () => {
  it('reads a URL (fetched), a Blob, and stops a ReadableStream early', async () => {
    expect(await readLines(new URL('data:text/plain,one%0Atw%C3%B6%0A')).toArray()).toEqual([
      'one',
      'twö',
    ]);
    const blob = new Blob(['a\nb\nc\n']);
    expect(await readLines(blob).take(2).toArray()).toEqual(['a', 'b']);
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new TextEncoder().encode('x\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await readLines(stream).take(3).toArray()).toEqual(['x', 'x', 'x']);
    expect(cancelled).toBe(true);
  });
});
