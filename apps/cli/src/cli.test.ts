import { describe, expect, it } from 'vitest';
import { seqzoo } from './testing';

describe('seqzoo backends', () => {
  it('prints the table: cpu and wasm available, the others unavailable with reasons', async () => {
    const { code, stdout } = await seqzoo('backends');
    expect(code).toBe(0);
    const line = (name: string) => stdout.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
    expect(line('cpu')).toMatch(/^cpu\s+yes\s+cpu/);
    expect(line('wasm')).toMatch(/^wasm\s+yes\s+cpu/);
    expect(line('webgl')).toMatch(/no\s+it runs in browser only/);
    expect(line('cuda')).toMatch(/no\s+the package @tensorflow\/tfjs-node-gpu is not installed/);
    expect(line('tensorflow')).toMatch(/npm install @tensorflow\/tfjs-node$/);
  });

  it('--bench --json times a matMul on each available backend', async () => {
    const { code, stdout } = await seqzoo('backends', '--bench', '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { backend: string; available: boolean; matmulMs?: number }[];
    for (const row of rows) {
      if (row.available) expect(row.matmulMs).toBeGreaterThan(0);
      else expect(row.matmulMs).toBeUndefined();
    }
    expect(rows.filter((r) => r.available).map((r) => r.backend)).toEqual(['wasm', 'cpu']);
  });

  it('an unknown command exits non-zero with commander’s message', async () => {
    const { code, stderr } = await seqzoo('fly');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/unknown command 'fly'/);
  });
});

describe('seqzoo models and describe', () => {
  it('lists every registered model id with its description', async () => {
    const { code, stdout } = await seqzoo('models');
    expect(code).toBe(0);
    const ids = stdout
      .split('\n')
      .slice(2)
      .map((l) => l.split(/\s+/)[0]);
    expect(ids).toEqual(
      expect.arrayContaining([
        'seq2seq:attention',
        'zoo:char-lm',
        'zoo:markov',
        'zoo:rnn-classifier',
      ]),
    );
    expect(stdout).toMatch(/^zoo:markov\s+n-gram language model/m);
  });

  it('describes a config: fields, types, defaults and allowed values', async () => {
    const { code, stdout } = await seqzoo('describe', 'seq2seq:attention');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^attention\s+string\s+"general"\s+"bahdanau", "dot", "general", "concat", "none"$/m,
    );
    expect(stdout).toMatch(/^dropout\s+number\s+0\.1\s+≥ 0, < 1$/m);
    expect(stdout).not.toMatch(/9007199254740991/);
    const json = JSON.parse((await seqzoo('describe', 'zoo:char-lm', '--json')).stdout);
    expect(json).toMatchObject({ id: 'zoo:char-lm', defaults: { cell: 'lstm' } });
  });

  it('an unknown id is one line naming the registered ids, exit code 1, no stack', async () => {
    const { code, stderr } = await seqzoo('describe', 'zoo:nope');
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toMatch(
      /^UnknownModelError: Unknown model 'zoo:nope'\. Registered models: seq2seq:attention, .*zoo:word-lm/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
