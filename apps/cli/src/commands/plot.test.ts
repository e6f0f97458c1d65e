import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seqzoo } from '../testing';

const tmp = () => mkdtempSync(join(tmpdir(), 'seqzoo-plot-'));
/** Text contents of the `<text class="cls">` elements of an SVG. */
const texts = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);

describe('seqzoo plot', () => {
  it('gradients: three panels, one curve per length; --json prints ‖∂L/∂h_t‖ per cell and length', async () => {
    const dir = tmp();
    const out = join(dir, 'g.svg');
    const r = await seqzoo(
      'plot',
      'gradients',
      '--lengths',
      '4,12',
      '--hidden-size',
      '8',
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const curves = JSON.parse(r.stdout) as { cell: string; length: number; norms: number[] }[];
    expect(curves.map((c) => `${c.cell}:${c.length}`)).toEqual([
      'rnn:4',
      'rnn:12',
      'gru:4',
      'gru:12',
      'lstm:4',
      'lstm:12',
    ]);
    for (const c of curves) {
      expect(c.norms).toHaveLength(c.length);
      expect(c.norms.every((v) => v > 0)).toBe(true);
    }
    const svg = readFileSync(out, 'utf8');
    expect([...svg.matchAll(/<g class="panel" data-cell="(\w+)">/g)].map((m) => m[1])).toEqual([
      'rnn',
      'gru',
      'lstm',
    ]);
    expect(svg.match(/class="series length-12"/g)).toHaveLength(3);
    expect(existsSync(`${out}.tmp-${process.pid}`)).toBe(false);
  });

  it('gradients: a config file gives the options; an unknown field or a bad --init is one line', async () => {
    const dir = tmp();
    const config = join(dir, 'flow.json');
    writeFileSync(config, JSON.stringify({ lengths: [3], hiddenSize: 4, seed: 2 }));
    const ok = await seqzoo('plot', 'gradients', config, '--out', join(dir, 'a.svg'), '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).map((c: { length: number }) => c.length)).toEqual([3, 3, 3]);
    writeFileSync(config, JSON.stringify({ lenghts: [3] }));
    const bad = await seqzoo('plot', 'gradients', config, '--out', join(dir, 'b.svg'));
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/unknown field 'lenghts'; the fields are lengths, /);
    const init = await seqzoo(
      'plot',
      'gradients',
      '--init',
      'glorot',
      '--lengths',
      '3',
      '--out',
      join(dir, 'c.svg'),
    );
    expect(init.code).toBe(1);
    expect(init.stderr.trim()).toBe(
      "CliError: --init: expected 'pytorch' or 'keras', got 'glorot'.",
    );
    const lengths = await seqzoo('plot', 'gradients', '--lengths', '3,x');
    expect(lengths.code).toBe(2);
    expect(lengths.stderr).toMatch(/expected lengths 1 to 10000/);
    expect(existsSync(join(dir, 'b.svg')) || existsSync(join(dir, 'c.svg'))).toBe(false);
  });

  it('gates, loss: from a char-LM trained by `seqzoo train` (cell lstm); a GRU has no gates', async () => {
    const dir = tmp();
    const text = join(dir, 'names.txt');
    writeFileSync(text, 'anna\nbob\ncarla\ndan\nemma\nfred\n'.repeat(10));
    const common = [
      '--data',
      text,
      '--backend',
      'cpu',
      '--epochs',
      '2',
      '--set',
      'hiddenSize=8',
      '--set',
      'embeddingSize=4',
      '--set',
      'bptt=8',
      '--batch-size',
      '4',
    ];
    const train = await seqzoo(
      'train',
      'zoo:char-lm',
      ...common,
      '--set',
      'cell=lstm',
      '--out',
      join(dir, 'lm'),
      '--json',
    );
    expect(train.code, train.stderr).toBe(0);
    const out = join(dir, 'gates.svg');
    const g = await seqzoo(
      'plot',
      'gates',
      join(dir, 'lm'),
      '--text',
      'emma',
      '--units',
      '2',
      '--out',
      out,
      '--json',
    );
    expect(g.code, g.stderr).toBe(0);
    const data = JSON.parse(g.stdout);
    expect(data.tokens).toEqual(['e', 'm', 'm', 'a']);
    expect(data.gates.forget).toHaveLength(4);
    expect(data.gates.forget[0]).toHaveLength(8);
    const svg = readFileSync(out, 'utf8');
    expect(texts(svg, 'col-label')).toEqual(['e', 'm', 'm', 'a']);
    expect(texts(svg, 'row-label')).toHaveLength(3 * 3);

    const loss = await seqzoo(
      'plot',
      'loss',
      join(dir, 'lm'),
      '--log-y',
      '--out',
      join(dir, 'loss.svg'),
    );
    expect(loss.code, loss.stderr).toBe(0);
    expect(texts(readFileSync(join(dir, 'loss.svg'), 'utf8'), 'axis-title y')).toEqual([
      'loss (log scale)',
    ]);

    const gru = await seqzoo(
      'train',
      'zoo:char-lm',
      ...common,
      '--set',
      'cell=gru',
      '--epochs',
      '1',
      '--out',
      join(dir, 'gru'),
      '--json',
    );
    expect(gru.code, gru.stderr).toBe(0);
    const none = await seqzoo('plot', 'gates', join(dir, 'gru'), '--out', join(dir, 'none.svg'));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/cell 'gru'; gates exist only for an LSTM/);
    const missing = await seqzoo('plot', 'loss', dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/has no loss\.json; give the --out folder of `seqzoo train`/);
  });
});
