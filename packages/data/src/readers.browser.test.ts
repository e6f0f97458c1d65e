// Runs in Chromium (the data:browser project): the universal entry point on browser sources.
import { describe, expect, it } from 'vitest';
import {
  charTokenizer,
  Dataset,
  dateTask,
  names,
  paddedRows,
  ReaderError,
  readCsv,
  readJsonl,
  readLines,
  Vocab,
} from './index';

const enc = new TextEncoder();

describe('readers and pipeline in the browser', () => {
  it('reads lines from a Blob: multi-byte characters, CRLF, BOM, bad bytes with line numbers', async () => {
    const blob = new Blob([
      Uint8Array.from([0xef, 0xbb, 0xbf]),
      enc.encode('héllo\r\n日本'),
      enc.encode('語\nbad '),
      Uint8Array.from([0xff]),
      enc.encode('\nend'),
    ]);
    const err = await readLines(blob)
      .toArray()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect(err.line).toBe(3);
    const reader = readLines(blob, { onError: 'skip' });
    expect(await reader.toArray()).toEqual(['héllo', '日本語', 'end']);
    expect(reader.stats.skipped).toBe(1);
  });

  it('reads CSV from a File and JSONL from a ReadableStream', async () => {
    const file = new File(['id,text\n1,"a, ""b""\nc"\n2,d\n'], 'x.csv', { type: 'text/csv' });
    expect(await readCsv(file, { columns: ['text'] }).toArray()).toEqual([
      { text: 'a, "b"\nc' },
      { text: 'd' },
    ]);
    const stream = new Blob(['{"a":1}\n{"a":2}\n']).stream();
    expect(await readJsonl(stream).toArray()).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('runs a shuffled, padded pipeline and resumes it', async () => {
    const csv = `word\n${Array.from({ length: 120 }, (_, i) => `w${'x'.repeat(i % 9)}`).join('\n')}\n`;
    const blob = new Blob([csv]);
    const tok = charTokenizer();
    const vocab = await Vocab.build(readCsv(blob).map((r) => tok.tokenize(r.word)));
    const ds = readCsv(blob)
      .map((r) => vocab.encode(tok.tokenize(r.word), { eos: true }))
      .shuffle(50, 7)
      .bucketByLength([4, 8], [8, 8, 8]);
    const full = await ds.toArray();
    expect(full.reduce((n, b) => n + b.shape[0], 0)).toBe(120);
    const it = ds.iterator();
    await it.next();
    await it.next();
    const rest = await ds.toArray(it.state());
    expect(rest.map(paddedRows)).toEqual(full.slice(2).map(paddedRows));
  });

  it('loads the bundled names and generates dates', async () => {
    expect((await names({ sex: 'male' })).size).toBeGreaterThan(2500);
    const pairs = await dateTask({ size: 5, seed: 1 }).toArray();
    expect(pairs.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.target))).toBe(true);
    expect(await Dataset.from([1, 2, 3]).toArray()).toEqual([1, 2, 3]);
  });
});
