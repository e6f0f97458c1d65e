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
    expect(report).toMatchObject({
      modelId: 'zoo:rnn-classifier',
      examples: 48,
      metric: 'accuracy',
    });
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.metrics.macroF1).toBeGreaterThan(0);
    const table = await seqzoo('eval', out, '--data', csv, ...cpu);
    expect(table.stdout).toMatch(/^zoo:rnn-classifier on 48 examples \(.*tiny\.csv\):$/m);
    expect(table.stdout).toMatch(/^accuracy \*\s+\d\.\d{4}$/m);

    const predicted = await seqzoo('predict', out, 'win money now', 'see you at lunch', ...cpu);
    expect(predicted.code, predicted.stderr).toBe(0);
    const lines = predicted.stdout.trim().split('\n');
    expect(lines).toEqual(['win money now → spam', 'see you at lunch → ham']);
    const json = events((await seqzoo('predict', out, 'free prize', '--json', ...cpu)).stdout);
    const [p] = json as unknown as {
      text: string;
      output: { label: string; probabilities: Record<string, number> };
    }[];
    expect(p.text).toBe('spam');
    expect(p.output.probabilities.ham + p.output.probabilities.spam).toBeCloseTo(1, 5);

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
      /^ModelFileError: .*'embedding\.weight' has shape \[\d+,8\] but the model.* has \[\d+,32\]/,
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

  it('seq2seq on dates: eval gives exact match/WER/PER, predict gives n-best lists', async () => {
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
      '--batch-size',
      '32',
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
    expect(r).toMatchObject({ examples: 20, source: 'dates/test', metric: 'wer' });
    for (const k of ['exactMatch', 'wer', 'per']) expect(r.metrics[k]).toBeGreaterThanOrEqual(0);
    expect(r.metrics.exactMatch).toBeLessThanOrEqual(1);

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
      output: { translations: { score: number }[] };
    }[];
    expect(p.input).toBe('Mar 3, 2019');
    expect(p.output.translations).toHaveLength(2);
    expect(p.output.translations[0].score).toBeGreaterThanOrEqual(p.output.translations[1].score);

    // --attention: a heat map with the source tokens on one axis and the output on the other.
    const svgPath = join(dir, 'attention.svg');
    const withMap = await seqzoo('predict', out, 'Mar 3, 2019', '--attention', svgPath, ...cpu);
    expect(withMap.code, withMap.stderr).toBe(0);
    const svg = readFileSync(svgPath, 'utf8');
    const sources = [...svg.matchAll(/class="col-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(sources.join('')).toBe('Mar␣3,␣2019');
    const rows = [...svg.matchAll(/class="row-label"/g)].length;
    expect(rows).toBeGreaterThan(0);
    expect([...svg.matchAll(/<rect class="cell"/g)]).toHaveLength(rows * 11);
    expect(svg).toMatch(/class="axis-title x"[^>]*>source tokens \(input\)</);

    const tooMany = await seqzoo('predict', out, 'x', '--beam', '2', '--n-best', '3', ...cpu);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr.split('\n')[0]).toMatch(/--n-best 3 is more than --beam 2/);
    const none = await seqzoo('predict', out, ...cpu);
    expect(none.stderr.split('\n')[0]).toMatch(/nothing to predict/);
    // options the task does not list are refused, naming the ones it takes
    const temp = await seqzoo('predict', out, 'x', '--temperature', '0.5', ...cpu);
    expect(temp.stderr.split('\n')[0]).toMatch(
      /^CliError: --temperature: seq2seq:attention does not take it; it takes --beam, --n-best, --attention\.$/,
    );
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
    expect(r).toMatchObject({ examples: 50, metric: 'perplexity' });
    expect(r.metrics.perplexity).toBeGreaterThan(1);
    expect(r.metrics.perplexity).toBeCloseTo(Math.exp(r.metrics.crossEntropy), 3);
    const g = await seqzoo(
      'predict',
      out,
      'ma',
      '--count',
      '3',
      '--length',
      '10',
      '--json',
      ...cpu,
    );
    expect(g.code, g.stderr).toBe(0);
    const samples = events(g.stdout) as unknown as { input: string; text: string }[];
    expect(samples).toHaveLength(3);
    for (const s of samples) expect(s.input).toBe('ma');
    // a language model has no beam
    const beam = await seqzoo('predict', out, 'ma', '--beam', '3', ...cpu);
    expect(beam.stderr.split('\n')[0]).toMatch(
      /^CliError: --beam: zoo:char-lm does not take it; it takes --temperature, --top-k, --length, --seed\.$/,
    );
  });

  it('eval of a folder without a model is one line saying what to give', async () => {
    const { dir } = tinyCsv(2);
    const r = await seqzoo('eval', dir, '--data', 'x.csv');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/holds no saved model \(no model\.json\)/);
  });
});
