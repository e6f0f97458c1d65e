import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '@seqzoo/registry';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../errors';
import { tinyCsv } from '../testing';
import { readExamples } from './examples';

const labelled = { examples: 'labelled-text' } as Task;

describe('readExamples: a CSV error', () => {
  it('a broken header row says to fix the file, never to pass onError', async () => {
    const { dir } = tinyCsv(2);
    const csv = join(dir, 'bad-header.csv');
    writeFileSync(csv, 'text,"label\nhello,ham\n');
    const error = await readExamples(labelled, csv, {}).catch((e) => e);
    const line = oneLine(error);
    expect(line).toMatch(
      /^ReaderError: --data .*bad-header\.csv: Line 1: the quote opened on line 1/,
    );
    expect(line).toMatch(/header row.*cannot be skipped: fix the source\.$/);
    expect(line).not.toMatch(/onError|skip' \}/);
  });

  it('a bad row (with the CLI reading strictly) says to fix that row', async () => {
    const { dir } = tinyCsv(2);
    const csv = join(dir, 'bad-row.csv');
    writeFileSync(csv, 'text,label\nhello,ham\nwin,spam,extra\n');
    const line = oneLine(await readExamples(labelled, csv, {}).catch((e) => e));
    expect(line).toMatch(/Line 3: expected 2 fields .* Fix that row of the file\.$/);
    expect(line).not.toMatch(/onError/);
  });
});
