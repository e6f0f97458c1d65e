import type { Translation } from '@seqzoo/seq2seq';
import { svg } from './dom';

const CELL = 24;

/** A token as shown on an axis: a space as '␣'. */
function shown(token: string): string {
  return token === ' ' ? '␣' : token;
}

/**
 * The attention heat map of one translation as an `<svg>`: one column per source token (x axis,
 * on top), one row per output token (y axis, `</s>` last when the decoder attended while
 * emitting it); darker blue is more weight (each row sums to 1). `data-rows`/`data-cols` give the
 * matrix's shape, and each cell's `<title>` its weight.
 */
export function attentionMap(t: Translation): SVGSVGElement {
  const weights = t.attention ?? [];
  const rows = [...t.outputTokens];
  while (rows.length < weights.length) rows.push('</s>');
  rows.length = weights.length;
  const cols = t.sourceTokens;
  const left = 16 + 8 * Math.max(4, ...rows.map((r) => shown(r).length));
  // Characters stand upright over their column; longer tokens (words) are turned on their side.
  const upright = cols.every((c) => shown(c).length <= 2);
  const top = upright ? 24 : 16 + 8 * Math.max(4, ...cols.map((c) => shown(c).length));
  const width = left + CELL * cols.length + 12;
  const height = top + CELL * rows.length + 12;
  const map = svg('svg', {
    class: 'attention-map',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'data-rows': rows.length,
    'data-cols': cols.length,
    role: 'img',
    'aria-label': `attention of '${t.text}' over '${t.sourceTokens.join('')}'`,
  });
  cols.forEach((c, j) => {
    const x = left + CELL * j + CELL / 2;
    const at: Record<string, string | number> = upright
      ? { x, y: top - 8, 'text-anchor': 'middle' }
      : { x: x + 4, y: top - 6, transform: `rotate(-90 ${x + 4} ${top - 6})` };
    map.append(svg('text', { class: 'source', ...at }, shown(c)));
  });
  weights.forEach((row, i) => {
    const y = top + CELL * i;
    map.append(
      svg(
        'text',
        { class: 'target', x: left - 6, y: y + CELL / 2 + 4, 'text-anchor': 'end' },
        shown(rows[i]),
      ),
    );
    row.forEach((w, j) => {
      const shade = Math.round(255 * (1 - Math.min(1, Math.max(0, w))));
      const cell = svg('rect', {
        class: 'cell',
        x: left + CELL * j,
        y,
        width: CELL,
        height: CELL,
        fill: `rgb(${shade},${shade},255)`,
        'data-weight': w.toFixed(4),
      });
      cell.append(svg('title', {}, `${shown(rows[i])} ← ${shown(cols[j])}: ${w.toFixed(3)}`));
      map.append(cell);
    });
  });
  return map;
}
