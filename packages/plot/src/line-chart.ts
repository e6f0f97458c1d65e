import { SERIES_COLORS } from './colors';
import { el, esc, num, svgOpen, textWidth, verticalTitle } from './svg';
import { linearTicks, logTicks, type Ticks } from './ticks';

/** One line of a line chart: its name, points and style. */
export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Default: the next of the series colours. */
  color?: string;
  /** Stroke width (default 2). */
  width?: number;
  /** Dashed line. */
  dashed?: boolean;
  /** Draw a dot at each point (class `mark`). */
  dots?: boolean;
  /** Line opacity (default 1): a light, noisy series under its trend. */
  opacity?: number;
  /** The polyline's class (default `series`); every polyline also has `data-series` = name. */
  className?: string;
}

/** Options of `lineChart`. */
export interface LineChartOptions {
  series: readonly Series[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Log-scale y (values ≤ 0 or not finite are left out of the line). */
  logY?: boolean;
  /** Start the linear y axis at 0 (default false: the data's range, widened to nice ticks). */
  yFromZero?: boolean;
  /** Vertical marks (e.g. epoch ends): a dotted line at each x, its label at the top. */
  marks?: readonly { x: number; label?: string }[];
  width?: number;
  height?: number;
  /** Draw the legend (default: when there are two or more named series). */
  legend?: boolean;
  /** Where the legend goes inside the plot area (default 'top-right'). */
  legendPosition?: 'top-right' | 'bottom-right' | 'top-left' | 'bottom-left';
  /** Shared y range (e.g. the panels of a small-multiples figure). */
  yDomain?: readonly [number, number];
}

/** Where a chart's plot area is and how values map into it; for composing panels. */
export interface ChartFrame {
  svg: string;
  width: number;
  height: number;
}

/**
 * A line chart as a standalone SVG document: nice-number ticks on both axes covering the data,
 * light grid lines, axis titles, a legend, optional log-y and vertical marks. Classes for
 * scripts and tests: `tick x`/`tick y` on tick labels, `data-series` (the name) on each
 * polyline, `legend`, `mark`, `axis-title x`/`axis-title y`, `title`.
 */
export function lineChart(options: LineChartOptions): string {
  return `${svgOpen(options.width ?? 640, options.height ?? 360)}\n${lineChartBody(options, 0, 0)}\n</svg>\n`;
}

/** The chart's elements (no `<svg>` wrapper), drawn with its top-left corner at (ox, oy). */
export function lineChartBody(options: LineChartOptions, ox: number, oy: number): string {
  const W = options.width ?? 640;
  const H = options.height ?? 360;
  const logY = options.logY ?? false;
  const keep = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  const xs = options.series.flatMap((s) => s.x.filter(Number.isFinite));
  const ys = options.series.flatMap((s) => s.y.filter(keep));
  const [yLo, yHi] = options.yDomain ?? [
    ys.length ? Math.min(...ys) : logY ? 0.1 : 0,
    ys.length ? Math.max(...ys) : 1,
  ];
  const yTicks: Ticks = logY
    ? logTicks(yLo, yHi)
    : linearTicks(options.yFromZero ? Math.min(0, yLo) : yLo, yHi, 6);
  const xTicks = linearTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 7);

  const yLabelWidth = Math.max(...yTicks.labels.map((l) => textWidth(l, 11)));
  const M = {
    left: 18 + (options.yLabel ? 18 : 0) + yLabelWidth,
    right: 16,
    top: (options.title ? 30 : 12) + (options.marks?.some((m) => m.label) ? 12 : 0),
    bottom: 28 + (options.xLabel ? 18 : 0),
  };
  const x0 = ox + M.left;
  const x1 = ox + W - M.right;
  const yBottom = oy + H - M.bottom;
  const yTop = oy + M.top;
  const px = (v: number) => x0 + ((x1 - x0) * (v - xTicks.min)) / (xTicks.max - xTicks.min || 1);
  const py = logY
    ? (v: number) =>
        yBottom -
        ((yBottom - yTop) * (Math.log10(v) - Math.log10(yTicks.min))) /
          (Math.log10(yTicks.max) - Math.log10(yTicks.min) || 1)
    : (v: number) =>
        yBottom - ((yBottom - yTop) * (v - yTicks.min)) / (yTicks.max - yTicks.min || 1);

  const out: string[] = [];
  if (options.title) {
    out.push(
      el(
        'text',
        {
          class: 'title',
          x: ox + W / 2,
          y: oy + 19,
          'text-anchor': 'middle',
          'font-size': 14,
          'font-weight': 600,
        },
        esc(options.title),
      ),
    );
  }
  // Grid and tick labels.
  yTicks.values.forEach((v, i) => {
    const y = py(v);
    out.push(el('line', { x1: x0, y1: y, x2: x1, y2: y, stroke: '#e6e6e6' }));
    out.push(
      el(
        'text',
        {
          class: 'tick y',
          x: x0 - 6,
          y: y + 4,
          'text-anchor': 'end',
          'font-size': 11,
          fill: '#444',
        },
        esc(yTicks.labels[i]),
      ),
    );
  });
  xTicks.values.forEach((v, i) => {
    const x = px(v);
    out.push(el('line', { x1: x, y1: yBottom, x2: x, y2: yBottom + 4, stroke: '#444' }));
    out.push(
      el(
        'text',
        {
          class: 'tick x',
          x,
          y: yBottom + 17,
          'text-anchor': 'middle',
          'font-size': 11,
          fill: '#444',
        },
        esc(xTicks.labels[i]),
      ),
    );
  });
  out.push(
    el('line', { class: 'axis x', x1: x0, y1: yBottom, x2: x1, y2: yBottom, stroke: '#444' }),
  );
  out.push(el('line', { class: 'axis y', x1: x0, y1: yTop, x2: x0, y2: yBottom, stroke: '#444' }));
  if (options.xLabel) {
    out.push(
      el(
        'text',
        { class: 'axis-title x', x: (x0 + x1) / 2, y: oy + H - 8, 'text-anchor': 'middle' },
        esc(options.xLabel),
      ),
    );
  }
  if (options.yLabel) {
    const cx = ox + 14;
    const cy = (yTop + yBottom) / 2;
    out.push(verticalTitle('axis-title y', cx, cy, options.yLabel));
  }
  // Mark labels that would overlap the previous shown one are left out (the line stays).
  let lastLabelEnd = Number.NEGATIVE_INFINITY;
  for (const m of options.marks ?? []) {
    if (!Number.isFinite(m.x)) continue;
    const x = px(m.x);
    out.push(
      el('line', {
        class: 'mark',
        x1: x,
        y1: yTop,
        x2: x,
        y2: yBottom,
        stroke: '#999',
        'stroke-dasharray': '2 3',
      }),
    );
    // A label is kept inside the chart: anchored at its end near the right edge, its start near the left.
    const half = textWidth(m.label ?? '', 10) / 2;
    const anchor = x + half > ox + W - 2 ? 'end' : x - half < ox + 2 ? 'start' : 'middle';
    const start = anchor === 'end' ? x - 2 * half : anchor === 'start' ? x : x - half;
    if (m.label && start > lastLabelEnd + 4) {
      lastLabelEnd = start + 2 * half;
      out.push(
        el(
          'text',
          {
            class: 'mark-label',
            x,
            y: yTop - 4,
            'text-anchor': anchor,
            'font-size': 10,
            fill: '#666',
          },
          esc(m.label),
        ),
      );
    }
  }
  // Series.
  const colors = options.series.map((s, i) => s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]);
  options.series.forEach((s, i) => {
    const pts: string[] = [];
    const dots: string[] = [];
    s.x.forEach((xv, j) => {
      const yv = s.y[j];
      if (!Number.isFinite(xv) || !keep(yv)) return;
      pts.push(`${num(px(xv))},${num(py(yv))}`);
      if (s.dots)
        dots.push(el('circle', { class: 'mark', cx: px(xv), cy: py(yv), r: 3, fill: colors[i] }));
    });
    out.push(
      el('polyline', {
        class: s.className ?? 'series',
        'data-series': s.name,
        fill: 'none',
        stroke: colors[i],
        'stroke-width': s.width ?? 2,
        'stroke-opacity': s.opacity,
        'stroke-dasharray': s.dashed ? '6 4' : undefined,
        'stroke-linejoin': 'round',
        points: pts.join(' '),
      }),
      ...dots,
    );
  });
  // Legend: top right, inside the plot area, on a white box.
  const named = options.series.filter((s) => s.name);
  if (options.legend ?? named.length >= 2) {
    const w = 34 + Math.max(...named.map((s) => textWidth(s.name, 11)));
    const boxH = 16 * named.length + 6;
    const where = options.legendPosition ?? 'top-right';
    const lx = where.endsWith('right') ? x1 - w - 6 : x0 + 6;
    const ly = where.startsWith('top') ? yTop + 6 : yBottom - boxH - 6;
    out.push(`<g class="legend">`);
    out.push(
      el('rect', {
        x: lx,
        y: ly,
        width: w,
        height: 16 * named.length + 6,
        fill: '#fff',
        'fill-opacity': 0.85,
        stroke: '#ccc',
      }),
    );
    named.forEach((s, k) => {
      const i = options.series.indexOf(s);
      const y = ly + 14 + 16 * k;
      out.push(
        el('line', {
          x1: lx + 6,
          y1: y - 4,
          x2: lx + 26,
          y2: y - 4,
          stroke: colors[i],
          'stroke-width': s.width ?? 2,
          'stroke-dasharray': s.dashed ? '6 4' : undefined,
          'stroke-opacity': s.opacity,
        }),
      );
      out.push(el('text', { class: 'legend-entry', x: lx + 30, y, 'font-size': 11 }, esc(s.name)));
    });
    out.push('</g>');
  }
  return out.join('\n');
}
