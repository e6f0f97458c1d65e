import { viridis } from './colors';
import { el, esc, num, shownToken, svgOpen, textWidth, verticalTitle } from './svg';
import { linearTicks } from './ticks';

/** Options of `heatMap`. */
export interface HeatMapOptions {
  /** `values[row][col]`. */
  values: readonly (readonly number[])[];
  /** One label per row (y axis, left). */
  rowLabels: readonly string[];
  /** One label per column (x axis, top). */
  colLabels: readonly string[];
  title?: string;
  /** Axis titles: what the rows are, what the columns are. */
  rowTitle?: string;
  colTitle?: string;
  /** Colour scale range (default 0 to 1) and its title. */
  min?: number;
  max?: number;
  scaleTitle?: string;
  /** A line of text under the map (e.g. the predicted tokens). */
  caption?: string;
  /** Cell size in pixels (default 22). */
  cell?: number;
  /** Tooltip of a cell (default `row ← col: value`). */
  cellTitle?: (row: number, col: number, value: number) => string;
  /** Label fonts: 'monospace' for characters (default), 'sans-serif' for words. */
  labelFont?: string;
  /** Separators drawn between row groups: indices of the rows that start a new group. */
  rowGroups?: readonly number[];
}

/**
 * A heat map as a standalone SVG document: column labels on top (upright for characters, turned
 * for longer tokens), row labels on the left, axis titles, a viridis colour scale with nice ticks
 * on the right, a caption under the map. Classes: `cell` (with `data-value`), `col-label`,
 * `row-label`, `axis-title`, `scale`, `tick scale`, `caption`, `title`.
 */
export function heatMap(o: HeatMapOptions): string {
  const cell = o.cell ?? 22;
  const rows = o.values.length;
  const cols = Math.max(o.colLabels.length, ...o.values.map((r) => r.length));
  const min = o.min ?? 0;
  const max = o.max ?? 1;
  const font = o.labelFont ?? 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
  const colShown = o.colLabels.map(shownToken);
  const rowShown = o.rowLabels.map(shownToken);
  const upright = colShown.every((c) => [...c].length <= 2);
  const colLabelSpace = upright ? 18 : 10 + Math.max(0, ...colShown.map((c) => textWidth(c, 12)));
  const rowLabelSpace = 10 + Math.max(16, ...rowShown.map((r) => textWidth(r, 12)));
  const scaleTicks = linearTicks(min, max, 5);
  const scaleLabelWidth = Math.max(...scaleTicks.labels.map((l) => textWidth(l, 11)));

  const left = 12 + (o.rowTitle ? 20 : 0) + rowLabelSpace;
  const top = (o.title ? 30 : 10) + (o.colTitle ? 18 : 0) + colLabelSpace;
  const mapW = cell * cols;
  const mapH = cell * rows;
  const scaleX = left + mapW + 18;
  const scaleH = Math.max(80, Math.min(mapH, 200));
  const width = Math.max(
    o.caption ? left + textWidth(o.caption, 12) + 12 : 0,
    o.colTitle ? left + mapW / 2 + textWidth(o.colTitle, 12) / 2 + 12 : 0,
    scaleX + 14 + 6 + scaleLabelWidth + 12 + (o.scaleTitle ? 18 : 0),
    o.title ? textWidth(o.title, 14) + 24 : 0,
  );
  // The body: tall enough for the map, the colour scale and the turned row title.
  const bodyH = Math.max(mapH, scaleH, o.rowTitle ? textWidth(o.rowTitle, 12) + 12 : 0);
  const height = top + bodyH + (o.caption ? 30 : 12);

  const out: string[] = [svgOpen(width, height)];
  if (o.title)
    out.push(
      el(
        'text',
        {
          class: 'title',
          x: width / 2,
          y: 19,
          'text-anchor': 'middle',
          'font-size': 14,
          'font-weight': 600,
        },
        esc(o.title),
      ),
    );
  if (o.colTitle)
    out.push(
      el(
        'text',
        {
          class: 'axis-title x',
          x: Math.max(left + mapW / 2, textWidth(o.colTitle, 12) / 2 + 4),
          y: (o.title ? 30 : 10) + 12,
          'text-anchor': 'middle',
        },
        esc(o.colTitle),
      ),
    );
  if (o.rowTitle) {
    const cx = 12 + 8;
    const cy = top + Math.max(mapH, textWidth(o.rowTitle, 12) + 12) / 2;
    out.push(verticalTitle('axis-title y', cx, cy, o.rowTitle));
  }
  colShown.forEach((c, j) => {
    const x = left + cell * j + cell / 2;
    const at = upright
      ? { x, y: top - 6, 'text-anchor': 'middle' }
      : { x: x + 4, y: top - 6, transform: `rotate(-90 ${num(x + 4)} ${num(top - 6)})` };
    out.push(el('text', { class: 'col-label', 'font-family': font, ...at }, esc(c)));
  });
  const range = max - min || 1;
  o.values.forEach((row, i) => {
    const y = top + cell * i;
    out.push(
      el(
        'text',
        {
          class: 'row-label',
          x: left - 6,
          y: y + cell / 2 + 4,
          'text-anchor': 'end',
          'font-family': font,
        },
        esc(rowShown[i] ?? ''),
      ),
    );
    row.forEach((v, j) => {
      const title = o.cellTitle
        ? o.cellTitle(i, j, v)
        : `${rowShown[i] ?? i} ← ${colShown[j] ?? j}: ${Number.isFinite(v) ? v.toFixed(3) : String(v)}`;
      out.push(
        el(
          'rect',
          {
            class: 'cell',
            x: left + cell * j,
            y,
            width: cell,
            height: cell,
            fill: viridis((v - min) / range),
            'shape-rendering': 'crispEdges',
            'data-value': Number.isFinite(v) ? Number(v.toFixed(4)) : String(v),
          },
          el('title', {}, esc(title)),
        ),
      );
    });
  });
  for (const g of o.rowGroups ?? []) {
    if (g <= 0 || g >= rows) continue;
    out.push(
      el('line', {
        class: 'group',
        x1: left - 2,
        y1: top + cell * g,
        x2: left + mapW,
        y2: top + cell * g,
        stroke: '#fff',
        'stroke-width': 3,
      }),
    );
  }
  // Colour scale: a vertical gradient bar with nice ticks.
  const gid = `scale-${Math.round(min * 1000)}-${Math.round(max * 1000)}`;
  out.push(
    `<defs><linearGradient id="${gid}" x1="0" y1="1" x2="0" y2="0">${Array.from({ length: 9 }, (_, k) => el('stop', { offset: k / 8, 'stop-color': viridis(k / 8) })).join('')}</linearGradient></defs>`,
  );
  out.push(
    el('rect', {
      class: 'scale',
      x: scaleX,
      y: top,
      width: 14,
      height: scaleH,
      fill: `url(#${gid})`,
      stroke: '#999',
    }),
  );
  scaleTicks.values.forEach((v, k) => {
    if (v < min - 1e-9 || v > max + 1e-9) return;
    const y = top + scaleH - (scaleH * (v - min)) / range;
    out.push(el('line', { x1: scaleX + 14, y1: y, x2: scaleX + 18, y2: y, stroke: '#444' }));
    out.push(
      el(
        'text',
        { class: 'tick scale', x: scaleX + 20, y: y + 4, 'font-size': 11, fill: '#444' },
        esc(scaleTicks.labels[k]),
      ),
    );
  });
  if (o.scaleTitle) {
    const cx = scaleX + 26 + scaleLabelWidth + 8;
    const cy = top + scaleH / 2;
    out.push(verticalTitle('axis-title scale', cx, cy, o.scaleTitle));
  }
  if (o.caption)
    out.push(el('text', { class: 'caption', x: left, y: top + bodyH + 22 }, esc(o.caption)));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
