import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, seqzoo, seqzooInterrupted, tinyCsv } from '../testing';

const small = ['--backend', 'cpu', '--set', 'hiddenSize=8', '--set', 'embeddingSize=8'];

describe('seqzoo train', () => {
  it('--json prints one parseable event per line and saves the model with its checkpoint', async () => {
    const { dir, csv } = tinyCsv();
    const out = join(dir, 'rnn');
    const r = await seqzoo(
      'train',
      'zoo:rnn-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      '--label-column',
      'label',
      ...small,
      '--epochs',
      '2',
      '--batch-size',
      '8',
      '--json',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const ev = events(r.stdout);
    // the model's 10 % validation split: 5 of the 48 held out, 43 in 6 batches of 8
    expect(ev[0]).toMatchObject({
      event: 'start',
      modelId: 'zoo:rnn-classifier',
      examples: 43,
      validationExamples: 5,
    });
    const progress = ev.filter((e) => e.event === 'progress');
    expect(progress.map((e) => e.step)).toEqual([...Array(12)].map((_, i) => i + 1)); // 6 batches × 2
    for (const p of progress) {
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(p.tokensPerSecond).toBeGreaterThan(0);
      expect(p.totalSteps).toBe(12);
    }
    expect(ev.filter((e) => e.event === 'epoch')).toHaveLength(2);
    expect(ev.at(-1)).toMatchObject({ event: 'done', steps: 12, stopReason: 'completed' });
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(saved).toMatchObject({
      modelId: 'zoo:rnn-classifier',
      config: { hiddenSize: 8 },
      training: { steps: 12, textColumn: 'message' },
    });
    expect(readdirSync(join(out, 'checkpoints'))).toEqual(['ckpt-000000012']);
    // loss.svg: one point per step, one marker per epoch, at the logged losses.
    const svg = readFileSync(join(out, 'loss.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const points = svg.match(/class="steps"[^>]*points="([^"]*)"/)?.[1].split(' ') ?? [];
    expect(points).toHaveLength(12);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    const history = JSON.parse(readFileSync(join(out, 'loss.json'), 'utf8'));
    expect(history.losses).toEqual(progress.map((p) => p.loss));
  });

  it('SIGINT writes a checkpoint and exits 130; --resume continues from it to the end', async () => {
    const { dir, csv } = tinyCsv();
    const out = join(dir, 'bow');
    const args = ['train', 'zoo:bow-classifier', '--data', csv, '--text-column', 'message'];
    const common = [
      '--backend',
      'cpu',
      '--batch-size',
      '4',
      '--valid-fraction',
      '0',
      '--json',
      '--out',
      out,
    ];
    const first = await seqzooInterrupted([...args, ...common, '--epochs', '400'], (s) =>
      s.includes('"step":5,'),
    );
    expect(first.signalled).toBe(true);
    expect(first.code, first.stderr).toBe(130);
    const done = events(first.stdout).at(-1);
    expect(done).toMatchObject({ event: 'done', stopReason: 'interrupted' });
    const stoppedAt = done?.steps as number;
    expect(stoppedAt).toBeGreaterThanOrEqual(5);
    expect(stoppedAt).toBeLessThan(4800);
    const ckpt = `ckpt-${String(stoppedAt).padStart(9, '0')}`;
    expect(readdirSync(join(out, 'checkpoints'))).toContain(ckpt);
    // The folder is a loadable model already.
    expect(existsSync(join(out, 'model.json'))).toBe(true);

    const epochs = Math.ceil(stoppedAt / 12) + 1; // 12 batches an epoch
    const second = await seqzoo(...args, ...common, '--epochs', String(epochs), '--resume');
    expect(second.code, second.stderr).toBe(0);
    const ev = events(second.stdout);
    expect(ev[0]).toMatchObject({ event: 'start', resumed: true });
    const steps = ev.filter((e) => e.event === 'progress').map((e) => e.step);
    expect(steps[0]).toBe(stoppedAt + 1);
    expect(ev.at(-1)).toMatchObject({ event: 'done', steps: epochs * 12, stopReason: 'completed' });
    // The loss curve runs through the interruption without a gap or a repeat.
    const history = JSON.parse(readFileSync(join(out, 'loss.json'), 'utf8'));
    expect(history.steps).toEqual([...Array(epochs * 12)].map((_, i) => i + 1));
  });

  it('--max-minutes stops at the time budget with a checkpoint and exit code 0', async () => {
    const { dir, csv } = tinyCsv();
    const out = join(dir, 'timed');
    const r = await seqzoo(
      'train',
      'zoo:bow-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      '--backend',
      'cpu',
      '--batch-size',
      '4',
      '--max-minutes',
      '0.03',
      '--json',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const done = events(r.stdout).at(-1);
    expect(done).toMatchObject({ event: 'done', stopReason: 'maxMinutes' });
    // The saved record says how the run was budgeted and how long it trained.
    const { training } = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(training).toMatchObject({ backend: 'cpu', maxMinutes: 0.03, stopReason: 'maxMinutes' });
    expect(training.minutes).toBeGreaterThanOrEqual(0.03);
    expect(training.minutes).toBeLessThan(5);
    // The total and ETA are the time budget's (1.8 s), not epochs × batches (a million epochs).
    const progress = events(r.stdout).filter((e) => e.event === 'progress');
    for (const p of progress) {
      expect(p.etaMs as number).toBeLessThanOrEqual(1800);
      expect(p.totalSteps as number).toBeGreaterThanOrEqual(p.step as number);
      expect(p.totalSteps as number).toBeLessThan(1_000_000);
    }
    expect(readdirSync(join(out, 'checkpoints'))).toEqual([
      `ckpt-${String(done?.steps).padStart(9, '0')}`,
    ]);
    const both = await seqzoo('train', 'zoo:bow-classifier', '--epochs', '1', '--max-minutes', '1');
    expect(both.stderr.split('\n')[0]).toMatch(/give --epochs or --max-minutes, not both/);
  });

  it('seq2seq:attention trains on --dataset dates', async () => {
    const { dir } = tinyCsv(2);
    const out = join(dir, 's2s');
    const r = await seqzoo(
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
    expect(r.code, r.stderr).toBe(0);
    // the dataset's own validation split; 64 train in 2 batches of 32; the task's metrics.
    expect(r.stderr).toMatch(/^training seq2seq:attention on cpu: 64 examples/m);
    expect(r.stderr).toMatch(
      /^epoch 1 {2}step 2 {2}loss \d+\.\d{4} {2}val loss \d+\.\d{4} {2}val exactMatch \d\.\d{4} {2}val wer \d\.\d{4} {2}val per \d\.\d{4}$/m,
    );
    expect(r.stderr).toMatch(/finished: 1 epoch \(--epochs\) done after 2 steps; model saved to/);
    const svg = readFileSync(join(out, 'loss.svg'), 'utf8');
    expect(svg).toMatch(/class="validation"[^>]*points="[\d.]+,[\d.]+"/);
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(saved.vocabularies.target.tokens).toEqual(expect.arrayContaining(['0', '9', '-']));
  });

  it('a bad --set value is one line naming the field; nothing is written', async () => {
    const { dir, csv } = tinyCsv(4);
    const out = join(dir, 'bad');
    const r = await seqzoo(
      'train',
      'zoo:rnn-classifier',
      '--data',
      csv,
      '--set',
      'hiddenSize=-3',
      '--out',
      out,
    );
    expect(r.code).toBe(1);
    const [line, ...rest] = r.stderr.trim().split('\n');
    expect(line).toMatch(
      /^ConfigError: Invalid config for 'zoo:rnn-classifier': - hiddenSize: .*>0, got -3/,
    );
    expect(rest).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('bad flags and unsupported ids are one-line errors', async () => {
    const epochs = await seqzoo('train', 'zoo:rnn-classifier', '--epochs', 'two');
    expect(epochs.code).toBe(2);
    expect(epochs.stderr.trim()).toMatch(
      /option '--epochs <n>' argument 'two' is invalid.*positive integer/,
    );
    const id = await seqzoo('train', 'zoo:mlp');
    expect(id.code).toBe(1);
    expect(id.stderr.split('\n')[0]).toMatch(/^CliError: train: 'zoo:mlp' declares no task/);
    const noData = await seqzoo('train', 'zoo:bow-classifier', '--data', '/nonexistent.csv');
    expect(noData.stderr.split('\n')[0]).toMatch(/--data \/nonexistent\.csv: no such file/);
  });
});
