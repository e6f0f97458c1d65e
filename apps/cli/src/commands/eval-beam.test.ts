import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seqzoo, tinyCsv } from '../testing';

describe('seqzoo eval --beam', () => {
  it('decodes with the beam where the task decodes; beam 1 is greedy; others refuse it', async () => {
    const { dir, csv } = tinyCsv(6);
    const out = join(dir, 's2s');
    const trained = await seqzoo(
      'train',
      'seq2seq:attention',
      '--dataset',
      'reverse',
      '--size',
      '128',
      '--backend',
      'cpu',
      '--set',
      'hiddenSize=16',
      '--set',
      'embeddingSize=8',
      '--epochs',
      '2',
      '--batch-size',
      '32',
      '--out',
      out,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const evalWith = async (...extra: string[]) => {
      const r = await seqzoo(
        'eval',
        out,
        '--dataset',
        'reverse',
        '--size',
        '40',
        '--backend',
        'cpu',
        '--json',
        ...extra,
      );
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).metrics as Record<string, number>;
    };
    const greedy = await evalWith();
    const one = await evalWith('--beam', '1');
    const beam = await evalWith('--beam', '4');
    expect(one).toEqual(greedy);
    for (const m of [greedy, beam]) {
      expect(m.wer).toBeGreaterThanOrEqual(0);
      expect(m.wer).toBeLessThanOrEqual(1);
    }
    // The loss is teacher-forced: the same whatever the decoding.
    expect(beam.loss).toBe(greedy.loss);

    const bow = join(dir, 'bow');
    const b = await seqzoo(
      'train',
      'zoo:bow-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      '--backend',
      'cpu',
      '--epochs',
      '1',
      '--out',
      bow,
    );
    expect(b.code, b.stderr).toBe(0);
    const refused = await seqzoo(
      'eval',
      bow,
      '--data',
      csv,
      '--text-column',
      'message',
      '--backend',
      'cpu',
      '--beam',
      '3',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--beam: zoo:bow-classifier does not decode with a beam search/);
  }, 120_000);
});
