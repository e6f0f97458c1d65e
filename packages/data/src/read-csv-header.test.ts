import { describe, expect, it } from 'vitest';
import { ReaderError } from './errors';
import { readCsv } from './read-csv';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readCsv: a bad header row', () => {
  it("with onError: 'skip' it is still thrown, and the message does not advise skipping", async () => {
    const reader = readCsv(bytes('text,"label\nhello,ham\n'), { onError: 'skip' });
    const error = await reader.toArray().catch((e) => e);
    expect(error).toBeInstanceOf(ReaderError);
    expect(error.header).toBe(true);
    expect(error.line).toBe(1);
    expect(error.message).toMatch(
      /header row, which names the columns and cannot be skipped: fix the source\.$/,
    );
    expect(error.message).not.toMatch(/onError/);
  });

  it("a bad row under a good header is skipped with onError: 'skip', and advises it when thrown", async () => {
    const text = 'a,b\n1,2\n3\n4,5\n';
    const skipping = readCsv(bytes(text), { onError: 'skip' });
    expect(await skipping.toArray()).toEqual([
      { a: '1', b: '2' },
      { a: '4', b: '5' },
    ]);
    expect(skipping.stats.skipped).toBe(1);
    const error = await readCsv(bytes(text))
      .toArray()
      .catch((e) => e);
    expect(error.header).toBe(false);
    expect(error.message).toMatch(/pass \{ onError: 'skip' \}/);
  });
});
