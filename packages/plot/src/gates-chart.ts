import { heatMap } from './heat-map';

/** Gate activations over a text: each `[T][H]`, values in (0, 1). */
export interface GateValues {
  input: readonly (readonly number[])[];
  forget: readonly (readonly number[])[];
  output: readonly (readonly number[])[];
}

/** Options of `gatesChart`. */
export interface GatesChartOptions {
  /** Units shown per gate: the ones whose activation varies most over the text (default 6). */
  units?: number;
  title?: string;
  /** Cell size in pixels (default 14). */
  cell?: number;
  caption?: string;
}

/** Indices of the `k` columns of `values` `[T][H]` with the largest variance over T, in order. */
export function mostVarying(values: readonly (readonly number[])[], k: number): number[] {
  const H = values[0]?.length ?? 0;
  const variance = Array.from({ length: H }, (_, j) => {
    const col = values.map((row) => row[j]);
    const mean = col.reduce((a, b) => a + b, 0) / (col.length || 1);
    return col.reduce((a, b) => a + (b - mean) ** 2, 0) / (col.length || 1);
  });
  return variance
    .map((v, j) => [v, j] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, j]) => j)
    .sort((a, b) => a - b);
}

/**
 * LSTM gates over a text, in the style of Karpathy, Johnson & Fei-Fei's "Visualizing and
 * understanding recurrent networks": the text's tokens along the top, and for each of the input,
 * forget and output gates its mean over all units and the `units` units that vary most, each
 * a row of cells coloured by the activation (viridis, 0 to 1) after reading each token.
 */
export function gatesChart(
  tokens: readonly string[],
  gates: GateValues,
  options: GatesChartOptions = {},
): string {
  const k = options.units ?? 6;
  const rows: number[][] = [];
  const labels: string[] = [];
  const groups: number[] = [];
  for (const [name, values] of [
    ['input', gates.input],
    ['forget', gates.forget],
    ['output', gates.output],
  ] as const) {
    groups.push(rows.length);
    rows.push(values.map((row) => row.reduce((a, b) => a + b, 0) / (row.length || 1)));
    labels.push(`${name} (mean)`);
    for (const j of mostVarying(values, k)) {
      rows.push(values.map((row) => row[j]));
      labels.push(`${name} #${j}`);
    }
  }
  return heatMap({
    values: rows,
    rowLabels: labels,
    colLabels: tokens,
    title: options.title ?? 'LSTM gates over a text',
    colTitle: 'input text (one column per character read)',
    rowTitle: 'gate · unit',
    scaleTitle: 'activation',
    min: 0,
    max: 1,
    cell: options.cell ?? 14,
    rowGroups: groups,
    labelFont: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    caption: options.caption,
    cellTitle: (i, j, v) => `${labels[i]} after '${tokens[j]}': ${v.toFixed(3)}`,
  });
}
