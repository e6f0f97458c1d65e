import { describe, expect, it } from 'vitest';
import { attentionMap } from './attention-map';
import { gatesChart, mostVarying } from './gates-chart';
import { gradientChart } from './gradient-chart';
import { heatMap } from './heat-map';
import { lineChart } from './line-chart';
import { lossChart } from './loss-chart';
import { elements, isNiceLinear, isNiceLog, texts } from './testing';

/** Tick values of an axis, parsed back from the SVG's labels. */
const ticks = (svg: string, axis: string) => texts(svg, `tick ${axis}`).map(Number);
/** y pixel of each point of a polyline. */
const ys = (points: string) => points.split(' ').map((p) => Number(p.split(',')[1]));

/** A loss curve like the issue's: 5.0 falling to 1.3 over 200 steps, 4 epochs, validation. */
function history() {
  const steps = Array.from({ length: 200 }, (_, i) => i + 1);
  const losses = steps.map((s) => 1.3 + 3.7 * Math.exp(-s / 40) + 0.05 * Math.sin(s));
  const epochs = [50, 100, 150, 200].map((step) => ({
    step,
    loss: 1.3 + 3.7 * Math.exp(-step / 40),
    validation: 1.45 + 3.7 * Math.exp(-step / 40),
  }));
  return { steps, losses, epochs };
}

describe('lossChart', () => {
  const h = history();
  const svg = lossChart(h);

  it('is a standalone SVG document with a title, axis titles and a legend', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(texts(svg, 'title')).toEqual(['training loss']);
    expect(texts(svg, 'axis-title x')).toEqual(['step']);
    expect(texts(svg, 'axis-title y')).toEqual(['loss']);
    expect(texts(svg, 'legend-entry')).toEqual([
      'each step',
      'training (epoch mean)',
      'validation',
    ]);
  });

  it('y ticks are nice numbers covering the data, and the curve fills the plot (no squeeze into the bottom half)', () => {
    const y = ticks(svg, 'y');
    expect(isNiceLinear(y)).toBe(true);
    const lo = Math.min(...h.losses);
    const hi = Math.max(...h.losses);
    expect(y[0]).toBeLessThanOrEqual(lo);
    expect(y.at(-1)).toBeGreaterThanOrEqual(hi);
    // The data spans most of the axis: the axis is not padded down to 0.
    expect((hi - lo) / (y.at(-1)! - y[0])).toBeGreaterThan(0.7);
    const x = ticks(svg, 'x');
    expect(isNiceLinear(x)).toBe(true);
    expect(x[0]).toBeLessThanOrEqual(1);
    expect(x.at(-1)).toBeGreaterThanOrEqual(200);
  });

  it('one point per step, a dot per epoch mean and validation, a labelled mark per epoch', () => {
    const [steps] = elements(svg, 'polyline', 'steps');
    expect(steps.points.split(' ')).toHaveLength(200);
    expect(elements(svg, 'polyline', 'epochs')[0].points.split(' ')).toHaveLength(4);
    expect(elements(svg, 'polyline', 'validation')[0].points.split(' ')).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(8);
    expect(elements(svg, 'line', 'mark')).toHaveLength(4);
    expect(texts(svg, 'mark-label')).toEqual(['epoch 1', 'epoch 2', 'epoch 3', 'epoch 4']);
    // Lower loss is drawn lower on the page (a larger y): the last step sits below the first.
    const py = ys(steps.points);
    expect(py.at(-1)).toBeGreaterThan(py[0]);
  });

  it('log-y: ticks are 1-2-5 × 10^k covering the data, labelled as a log scale', () => {
    const log = lossChart(h, { logY: true });
    const y = ticks(log, 'y');
    expect(isNiceLog(y)).toBe(true);
    expect(y[0]).toBeLessThanOrEqual(Math.min(...h.losses));
    expect(y.at(-1)).toBeGreaterThanOrEqual(Math.max(...h.losses));
    expect(texts(log, 'axis-title y')).toEqual(['loss (log scale)']);
  });

  it('without validation there is no validation line; a run of one step still draws', () => {
    const one = lossChart({ steps: [1], losses: [2.5], epochs: [{ step: 1, loss: 2.5 }] });
    expect(elements(one, 'polyline', 'validation')).toHaveLength(0);
    expect(ticks(one, 'y').length).toBeGreaterThan(1);
    const empty = lossChart({ steps: [], losses: [], epochs: [] });
    expect(empty).toContain('</svg>');
  });
});

describe('lineChart', () => {
  it('leaves out non-positive values on a log axis and escapes names', () => {
    const svg = lineChart({
      series: [
        { name: 'a <b> & c', x: [0, 1, 2, 3], y: [1, 0, 1e-5, Number.NaN] },
        { name: 'd', x: [0, 1], y: [0.1, 0.2] },
      ],
      logY: true,
    });
    const [a] = elements(svg, 'polyline', 'series');
    expect(a['data-series']).toBe('a <b> & c');
    expect(a.points.split(' ')).toHaveLength(2);
    expect(svg).toContain('a &lt;b&gt; &amp; c');
    expect(isNiceLog(ticks(svg, 'y'))).toBe(true);
  });
});

describe('heatMap and attentionMap', () => {
  const attention = [
    [0.7, 0.2, 0.1],
    [0.1, 0.8, 0.1],
    [0.05, 0.05, 0.9],
    [0.3, 0.3, 0.4],
  ];
  const svg = attentionMap(attention, ['a', ' ', '<'], ['x', 'y', 'z']);

  it('labels both axes: source tokens on top, output tokens down the side (</s> last)', () => {
    expect(texts(svg, 'col-label')).toEqual(['a', '␣', '<']);
    expect(texts(svg, 'row-label')).toEqual(['x', 'y', 'z', '</s>']);
    expect(texts(svg, 'axis-title x')).toEqual(['source tokens (input)']);
    expect(texts(svg, 'axis-title y')).toEqual(['output tokens (predicted)']);
    expect(texts(svg, 'title')).toEqual(['attention']);
  });

  it('one cell per weight, in reading order, with its value; a colour scale from 0 to 1', () => {
    const cells = elements(svg, 'rect', 'cell');
    expect(cells.map((c) => Number(c['data-value']))).toEqual(attention.flat());
    // Darker is less on viridis: the 0.9 cell's fill is the brightest (yellow-green).
    expect(new Set(cells.map((c) => c.fill)).size).toBeGreaterThan(4);
    const scale = ticks(svg, 'scale');
    expect(isNiceLinear(scale)).toBe(true);
    expect(scale[0]).toBe(0);
    expect(scale.at(-1)).toBe(1);
    expect(texts(svg, 'axis-title scale')).toEqual(['attention weight']);
  });

  it('shows the predicted tokens under the map', () => {
    expect(texts(svg, 'caption')).toEqual(
      ['a < → xyz'.replace('a <', 'a <')].map(() => 'a <  →  xyz'),
    );
  });

  it('turns long tokens (words) on their side, keeps characters upright', () => {
    const words = heatMap({
      values: [[0.5, 0.5]],
      rowLabels: ['out'],
      colLabels: ['hello', 'world'],
    });
    expect(words).toMatch(/class="col-label"[^>]*transform="rotate\(-90/);
    expect(svg).not.toMatch(/class="col-label"[^>]*transform=/);
  });
});

describe('gradientChart', () => {
  const curve = (cell: string, length: number, decay: number) => ({
    cell,
    length,
    norms: Array.from({ length }, (_, t) => decay ** (length - 1 - t)),
  });
  const curves = [10, 50].flatMap((T) => [
    curve('rnn', T, 0.5),
    curve('gru', T, 0.7),
    curve('lstm', T, 0.9),
  ]);
  const svg = gradientChart(curves);

  it('a panel per cell, side by side, each with a line per length', () => {
    const panels = [...svg.matchAll(/<g class="panel" data-cell="(\w+)">/g)].map((m) => m[1]);
    expect(panels).toEqual(['rnn', 'gru', 'lstm']);
    expect(texts(svg, 'title').slice(1)).toEqual(['RNN (fresh)', 'GRU (fresh)', 'LSTM (fresh)']);
    expect(elements(svg, 'polyline', 'series length-50')).toHaveLength(3);
    expect(elements(svg, 'polyline', 'series length-10')[0].points.split(' ')).toHaveLength(10);
  });

  it('shares one log y axis across the panels, in decades covering every curve', () => {
    const y = ticks(svg, 'y');
    const perPanel = y.length / 3;
    expect(Number.isInteger(perPanel)).toBe(true);
    const first = y.slice(0, perPanel);
    expect(y.slice(perPanel, 2 * perPanel)).toEqual(first);
    expect(isNiceLog(first)).toBe(true);
    expect(first[0]).toBeLessThanOrEqual(0.5 ** 49);
    expect(first.at(-1)).toBeGreaterThanOrEqual(1);
  });
});

describe('gatesChart', () => {
  const T = 12;
  const H = 10;
  const wave = (g: number) =>
    Array.from({ length: T }, (_, t) =>
      Array.from({ length: H }, (_, j) => 0.5 + (j === g ? 0.45 : 0.01 * j) * Math.sin(t + j)),
    );
  const tokens = 'hello world!'.split('');
  const svg = gatesChart(
    tokens,
    { input: wave(1), forget: wave(2), output: wave(3) },
    { units: 3 },
  );

  it('the text along the top, per gate a mean row and the units that vary most', () => {
    expect(texts(svg, 'col-label')).toEqual([
      'h',
      'e',
      'l',
      'l',
      'o',
      '␣',
      'w',
      'o',
      'r',
      'l',
      'd',
      '!',
    ]);
    const rows = texts(svg, 'row-label');
    expect(rows).toHaveLength(3 * 4);
    expect(rows.filter((r) => r.endsWith('(mean)'))).toEqual([
      'input (mean)',
      'forget (mean)',
      'output (mean)',
    ]);
    expect(rows).toContain('input #1');
    expect(rows).toContain('forget #2');
    expect(rows).toContain('output #3');
    expect(elements(svg, 'rect', 'cell')).toHaveLength(12 * T);
    expect(ticks(svg, 'scale')).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('mostVarying picks the columns with the largest variance', () => {
    expect(mostVarying(wave(4), 1)).toEqual([4]);
  });
});
