import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ReaderError } from './errors';
import { fromFile } from './node';
import { Rng } from './random';
import { readCsv, readTsv } from './read-csv';
import { bytes, tempFiles } from './test-files';

const files = tempFiles();

describe('readCsv', () => {
  it('parses quoted fields, doubled quotes, delimiters and newlines inside quotes', async () => {
    const text = 'name,quote,n\r\n"Smith, J","He said ""hi""\nand left",1\r\nplain,,2\r\n"","x",3';
    const path = files.write('quoted.csv', text);
    for (const chunkSize of [1, 2, 3, 7, 4096]) {
      expect(await readCsv(fromFile(path, { chunkSize })).toArray()).toEqual([
        { name: 'Smith, J', quote: 'He said "hi"\nand left', n: '1' },
        { name: 'plain', quote: '', n: '2' },
        { name: '', quote: 'x', n: '3' },
      ]);
    }
  });

  it('strips a BOM before the header and selects columns by name', async () => {
    const path = files.write(
      'bom.csv',
      bytes([0xef, 0xbb, 0xbf], 'id,text,label\n1,hello,pos\n2,bye,neg\n'),
    );
    const rows = await readCsv(fromFile(path, { chunkSize: 2 }), {
      columns: ['label', 'text'],
    }).toArray();
    expect(rows).toEqual([
      { label: 'pos', text: 'hello' },
      { label: 'neg', text: 'bye' },
    ]);
    expect(Object.keys(rows[0])).toEqual(['label', 'text']);
    await expect(readCsv(fromFile(path), { columns: ['nope'] }).toArray()).rejects.toThrow(
      /Column 'nope' is not in the header \(line 1\): 'id', 'text', 'label'/,
    );
  });

  it('gives arrays without a header, and reads TSV', async () => {
    const path = files.write('plain.tsv', 'a\tb\n"x\ty"\tz\n');
    expect(await readTsv(fromFile(path), { header: false }).toArray()).toEqual([
      ['a', 'b'],
      ['x\ty', 'z'],
    ]);
    expect(await readTsv(fromFile(path)).toArray()).toEqual([{ a: 'x\ty', b: 'z' }]);
  });

  it('reports a wrong column count with the line, counting lines inside quoted fields', async () => {
    const path = files.write('count.csv', 'a,b\n"multi\nline",1\n1,2,3\n4,5\n');
    const err = await readCsv(fromFile(path))
      .toArray()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect(err.kind).toBe('column-count');
    expect(err.line).toBe(4);
    expect(err.message).toContain('expected 2 fields (as in the header), got 3');
    const reader = readCsv(fromFile(path), { onError: 'skip' });
    expect(await reader.toArray()).toEqual([
      { a: 'multi\nline', b: '1' },
      { a: '4', b: '5' },
    ]);
    expect(reader.stats.skipped).toBe(1);
    expect(reader.stats.errors[0].line).toBe(4);
  });

  it('reports an unterminated quote at the end of the file with the line it opened on', async () => {
    const path = files.write('open.csv', 'a,b\n1,2\n3,"never closed\nmore\n');
    const err = await readCsv(fromFile(path, { chunkSize: 3 }))
      .toArray()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect(err.kind).toBe('unterminated-quote');
    expect(err.line).toBe(3);
    const reader = readCsv(fromFile(path), { onError: 'skip' });
    expect(await reader.toArray()).toEqual([{ a: '1', b: '2' }]);
    expect(reader.stats.skipped).toBe(1);
  });

  it('reports stray quotes and invalid UTF-8 with the line, and resumes at the next row', async () => {
    const path = files.write(
      'stray.csv',
      bytes('a,b\nx"y,1\n"q"z,2\nok,3\nbad', [0xc3, 0x28], ',4\nok,5\n'),
    );
    const err = await readCsv(fromFile(path))
      .toArray()
      .catch((e) => e);
    expect(err.kind).toBe('stray-quote');
    expect(err.line).toBe(2);
    const lines: number[] = [];
    const reader = readCsv(fromFile(path, { chunkSize: 4 }), {
      onError: 'skip',
      onSkip: (e) => lines.push(e.line),
    });
    expect(await reader.toArray()).toEqual([
      { a: 'ok', b: '3' },
      { a: 'ok', b: '5' },
    ]);
    expect(lines).toEqual([2, 3, 5]);
    expect(reader.stats.errors.map((e) => e.kind)).toEqual([
      'stray-quote',
      'stray-quote',
      'invalid-utf8',
    ]);
  });

  it('agrees with csv-parse on random RFC 4180 data split into random chunks', async () => {
    const rng = new Rng(7);
    const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '日', '😀', 'z'];
    const records: string[][] = [];
    for (let r = 0; r < 300; r++)
      records.push(
        Array.from({ length: 4 }, () =>
          Array.from({ length: rng.int(0, 8) }, () => rng.pick(alphabet)).join(''),
        ),
      );
    const quote = (f: string) =>
      /[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f;
    const eol = rng.bool() ? '\r\n' : '\n';
    const text = `${records.map((r) => r.map(quote).join(',')).join(eol)}${eol}`;
    const reference = parse(text, { relax_column_count: false }) as string[][];
    expect(reference).toEqual(records);
    const path = files.write('random.csv', text);
    for (const chunkSize of [1, 3, 13, 1 << 16])
      expect(await readCsv(fromFile(path, { chunkSize }), { header: false }).toArray()).toEqual(
        reference,
      );
  });
});
