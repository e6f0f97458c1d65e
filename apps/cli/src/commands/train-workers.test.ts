import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, seqzoo, seqzooInterrupted, tinyCsv } from '../testing';

const dates = [
  'train',
  'seq2seq:attention',
  '--dataset',
  'dates',
  '--size',
  '256',
  '--backend',
  'cpu',
  '--set',
  'hiddenSize=8',
  '--set',
  'embeddingSize=8',
  '--batch-size',
  '16',
  '--json',
];

describe('seqzoo train --workers', () => {
  it('trains data-parallel on 2 threads and records it with the model', async () => {
    const { dir } = tinyCsv(3);
    const out = join(dir, 'parallel');
    const r = await seqzoo(...dates, '--workers', '2', '--max-steps', '6', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(events(r.stdout).at(-1)).toMatchObject({ event: 'done', steps: 6 });
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(saved.training).toMatchObject({ workers: 2 });
  }, 120_000);

  it('Ctrl-C stops the workers too: the process exits 130 by itself', async () => {
    const { dir } = tinyCsv(4);
    const out = join(dir, 'parallel-int');
    const r = await seqzooInterrupted(
      [...dates, '--workers', '2', '--epochs', '500', '--out', out],
      (s) => s.includes('"step":3,'),
    );
    expect(r.signalled).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(events(r.stdout).at(-1)).toMatchObject({ event: 'done', stopReason: 'interrupted' });
  }, 120_000);

  it('a classifier trains with 2 workers; a language model (state carried across batches) says why not', async () => {
    const { dir, csv } = tinyCsv();
    const bow = await seqzoo(
      'train',
      'zoo:bow-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      '--backend',
      'cpu',
      '--batch-size',
      '8',
      '--workers',
      '2',
      '--max-steps',
      '4',
      '--json',
      '--out',
      join(dir, 'bow'),
    );
    expect(bow.code, bow.stderr).toBe(0);
    expect(events(bow.stdout).at(-1)).toMatchObject({ event: 'done', steps: 4 });
    const lm = await seqzoo(
      'train',
      'zoo:char-lm',
      '--dataset',
      'names',
      '--size',
      '64',
      '--backend',
      'cpu',
      '--workers',
      '2',
      '--out',
      join(dir, 'lm'),
    );
    expect(lm.code).not.toBe(0);
    expect(lm.stderr).toMatch(/FitOptionsError: .*cannot split a batch.*workers: 1/);
  }, 120_000);
});
