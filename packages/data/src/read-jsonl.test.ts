import { describe, expect, it } from 'vitest';
import { ReaderError } from './errors';
import { fromFile } from './node';
import { readJsonl } from './read-jsonl';
import { tempFiles } from './test-files';

const files = tempFiles();

describe('readJsonl', () => {
  it('parses one value per line, ignoring blank lines', async () => {
    const path = files.write('ok.jsonl', '{"a":1}\r\n\n[2,"ü"]\n"s"');
    expect(await readJsonl(fromFile(path, { chunkSize: 3 })).toArray()).toEqual([
      { a: 1 },
      [2, 'ü'],
      's',
    ]);
  });

  it('names the bad line, or skips and counts it', async () => {
    const path = files.write('bad.jsonl', '{"a":1}\n{"a":\n{"a":3}\n');
    const err = await readJsonl(fromFile(path))
      .toArray()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect(err.kind).toBe('invalid-json');
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/^Line 2: not valid JSON/);
    const reader = readJsonl<{ a: number }>(fromFile(path), { onError: 'skip' });
    expect((await reader.toArray()).map((x) => x.a)).toEqual([1, 3]);
    expect(reader.stats.skipped).toBe(1);
  });
});
