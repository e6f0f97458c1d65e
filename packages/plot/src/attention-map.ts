import { heatMap } from './heat-map';
import { shownToken } from './svg';

/** Options of `attentionMap`. */
export interface AttentionMapOptions {
  title?: string;
  /** The input text, shown in the caption (default: the source tokens joined). */
  input?: string;
  cell?: number;
}

/**
 * The attention heat map of one translation: a column per source token (top), a row per
 * output token (left; `</s>` last when the matrix has a row for it), viridis from 0 to 1 with
 * its colour scale, and the predicted output under the map.
 */
export function attentionMap(
  attention: readonly (readonly number[])[],
  sourceTokens: readonly string[],
  outputTokens: readonly string[],
  options: AttentionMapOptions = {},
): string {
  const rowLabels = [...outputTokens];
  while (rowLabels.length < attention.length) rowLabels.push('</s>');
  rowLabels.length = attention.length;
  const characters = sourceTokens.every((t) => [...t].length <= 1);
  const joiner = characters ? '' : ' ';
  return heatMap({
    values: attention,
    rowLabels,
    colLabels: sourceTokens,
    title: options.title ?? 'attention',
    colTitle: 'source tokens (input)',
    rowTitle: 'output tokens (predicted)',
    scaleTitle: 'attention weight',
    min: 0,
    max: 1,
    cell: options.cell,
    caption: `${options.input ?? sourceTokens.join(joiner)}  →  ${outputTokens.length ? outputTokens.join(joiner) : '(nothing: </s> first)'}`,
    cellTitle: (i, j, w) =>
      `${shownToken(rowLabels[i])} ← ${shownToken(sourceTokens[j])}: ${w.toFixed(3)}`,
  });
}
