import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, seqzoo, tinyCsv } from '../testing';

const cpu = ['--backend', 'cpu'];
const small = [...cpu, '--set', 'hiddenSize=8', '--set', 'embeddingSize=8'];

describe('seqzoo train → eval → predict', () => {
  it('rnn-classifier on a CSV: learns it, eval reports accuracy/F1, predict classifies', async () => {
    const { dir, csv } = tinyCsv();
    const out = join(dir, 'rnn');
    const train = await seqzoo(
      'train',
      'zoo:rnn-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      '--label-column',
      'label',
      ...small,
      '--lr',
      '0.05',
      '--epochs',
      '6',
      '--batch-size',
      '8',
      '--out',
      out,
    );
    expect(train.code, train.stderr).toBe(0);

    // The columns default to the ones the model was trained with.
    const evaluated = await seqzoo('eval', out, '--data', csv, ...cpu, '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report).toMatchObject({ kind: 'classifier', examples: 48, labels: ['ham', 'spam'] });
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.perClass.map((c: { label: string }) => c.label)).toEqual(['ham', 'spam']);
    const table = await seqzoo('eval', out, '--data', csv, ...cpu);
    expect(table.stdout).toMatch(/^48 examples: accuracy \d\.\d{4}, macro F1 \d\.\d{4}$/m);
    expect(table.stdout).toMatch(/^spam\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\s+24$/m);

    const predicted = await seqzoo('predict', out, 'win money now', 'see you at lunch', ...cpu);
    expect(predicted.code, predicted.stderr).toBe(0);
    const lines = predicted.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^spam\t[01]\.\d{4}\twin money now$/);
    expect(lines[1]).toMatch(/^ham\t[01]\.\d{4}\tsee you at lunch$/);
    const json = events((await seqzoo('predict', out, 'free prize', '--json', ...cpu)).stdout);
    const [p] = json as unknown as { label: string; probabilities: Record<string, number> }[];
    expect(p.label).toBe('spam');
    expect(p.probabilities.ham + p.probabilities.spam).toBeCloseTo(1, 5);

    // export → import round trip: the imported model predicts the same.
    const exported = await seqzoo('export', out, '--to', 'pytorch', ...cpu);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^wrote \d+ tensors to .*pytorch\.safetensors$/m);
    const copy = join(dir, 'imported');
    const imported = await seqzoo(
      'import',
      join(out, 'pytorch.safetensors'),
      '--from',
      'pytorch',
      '--model',
      'zoo:rnn-classifier',
      '--set',
      'hiddenSize=8',
      '--set',
      'embeddingSize=8',
      '--vocabularies',
      join(out, 'model.json'),
      '--out',
      copy,
      ...cpu,
    );
    expect(imported.code, imported.stderr).toBe(0);
    const again = await seqzoo('predict', copy, 'win money now', 'see you at lunch', ...cpu);
    expect(again.stdout).toBe(predicted.stdout);
    const wrongShape = await seqzoo(
      'import',
      join(out, 'pytorch.safetensors'),
      '--model',
      'zoo:rnn-classifier',
      '--vocabularies',
      join(out, 'model.json'),
      '--out',
      join(dir, 'wrong'),
      ...cpu,
    );
    expect(wrongShape.code).toBe(1);
    expect(wrongShape.stderr.split('\n')[0]).toMatch(
      /^ModelFileError: .*'embedding\.weight' has shape \[\d+,8\] but the model has \[\d+,32\]/,
    );
    const noVocab = await seqzoo(
      'import',
      join(out, 'pytorch.safetensors'),
      '--model',
      'zoo:rnn-classifier',
      '--out',
      join(dir, 'novocab'),
      ...cpu,
    );
    expect(noVocab.stderr.split('\n')[0]).toMatch(/no weights before it learns.*--vocabularies/);
  });

  it('seq2seq on dates: eval gives exact match/WER/CER, predict gives n-best lists', async () => {
    const { dir } = tinyCsv(2);
    const out = join(dir, 's2s');
    const train = await seqzoo(
      'train',
      'seq2seq:attention',
      '--dataset',
      'dates',
      '--size',
      '64',
      ...small,
      '--epochs',
      '1',
      '--out',
      out,
    );
    expect(train.code, train.stderr).toBe(0);
    const evaluated = await seqzoo(
      'eval',
      out,
      '--dataset',
      'dates',
      '--size',
      '20',
      ...cpu,
      '--json',
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const r = JSON.parse(evaluated.stdout);
    expect(r).toMatchObject({ kind: 'seq2seq', examples: 20, decoding: 'greedy' });
    for (const k of ['exactMatch', 'wer', 'cer']) expect(r[k]).toBeGreaterThanOrEqual(0);
    expect(r.exactMatch).toBeLessThanOrEqual(1);

    const predicted = await seqzoo(
      'predict',
      out,
      'Mar 3, 2019',
      '--beam',
      '3',
      '--n-best',
      '2',
      '--json',
      ...cpu,
    );
    expect(predicted.code, predicted.stderr).toBe(0);
    const [p] = events(predicted.stdout) as unknown as {
      input: string;
      translations: { score: number }[];
    }[];
    expect(p.input).toBe('Mar 3, 2019');
    expect(p.translations).toHaveLength(2);
    expect(p.translations[0].score).toBeGreaterThanOrEqual(p.translations[1].score);

    // --attention: a heat map with the source tokens on one axis and the output on the other.
    const svgPath = join(dir, 'attention.svg');
    const withMap = await seqzoo('predict', out, 'Mar 3, 2019', '--attention', svgPath, ...cpu);
    expect(withMap.code, withMap.stderr).toBe(0);
    const svg = readFileSync(svgPath, 'utf8');
    const sources = [...svg.matchAll(/class="source"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(sources.join('')).toBe('Mar␣3,␣2019');
    const rows = [...svg.matchAll(/class="output"/g)].length;
    expect(rows).toBeGreaterThan(0);
    expect([...svg.matchAll(/<rect x=/g)]).toHaveLength(rows * 11);

    const tooMany = await seqzoo('predict', out, 'x', '--beam', '2', '--n-best', '3', ...cpu);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr.split('\n')[0]).toMatch(/--n-best 3 is more than --beam 2/);
    const none = await seqzoo('predict', out, ...cpu);
    expect(none.stderr.split('\n')[0]).toMatch(/nothing to predict/);
  });

  it('char-lm on names: eval gives perplexity, predict generates from a prompt', async () => {
    const { dir } = tinyCsv(2);
    const out = join(dir, 'lm');
    const train = await seqzoo(
      'train',
      'zoo:char-lm',
      '--dataset',
      'names',
      '--size',
      '200',
      ...small,
      '--epochs',
      '1',
      '--out',
      out,
    );
    expect(train.code, train.stderr).toBe(0);
    const r = JSON.parse(
      (await seqzoo('eval', out, '--dataset', 'names', '--size', '50', ...cpu, '--json')).stdout,
    );
    expect(r).toMatchObject({ kind: 'lm', examples: 50 });
    expect(r.perplexity).toBeGreaterThan(1);
    expect(r.perplexity).toBeCloseTo(Math.exp(r.crossEntropy), 3);
    const g = await seqzoo(
      'predict',
      out,
      '--prompt',
      'ma',
      '--count',
      '3',
      '--length',
      '10',
      ...cpu,
    );
    expect(g.code, g.stderr).toBe(0);
    const samples = g.stdout.trim().split('\n');
    expect(samples).toHaveLength(3);
    for (const s of samples) expect(s.startsWith('ma')).toBe(true);
  });

  it('eval of a folder without a model is one line saying what to give', async () => {
    const { dir } = tinyCsv(2);
    const r = await seqzoo('eval', dir, '--data', 'x.csv');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/holds no saved model \(no model\.json\)/);
  });
});
