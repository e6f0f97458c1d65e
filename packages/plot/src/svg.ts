/** Escapes text for SVG content and attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A token as shown on an axis: a space as '␣', a newline as '⏎', a tab as '⇥'. */
export function shownToken(token: string): string {
  if (token === ' ') return '␣';
  return token.replace(/\n/g, '⏎').replace(/\t/g, '⇥');
}

export type Attrs = Record<string, string | number | undefined>;

/** One element as text: `el('rect', { x: 1 })` → `<rect x="1"/>`; undefined attributes are left out. */
export function el(tag: string, attrs: Attrs = {}, content?: string): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : esc(v as string)}"`)
    .join('');
  return content === undefined ? `<${tag}${a}/>` : `<${tag}${a}>${content}</${tag}>`;
}

/** A coordinate with at most 2 decimals, no trailing zeros (small files, stable snapshots). */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** The opening tag of a standalone SVG document (white background included). */
export function svgOpen(width: number, height: number, attrs: Attrs = {}): string {
  return `${el('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${num(width)} ${num(height)}`,
    'font-family': 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif',
    'font-size': 12,
    ...attrs,
  }).slice(0, -2)}>\n${el('rect', { width, height, fill: '#fff' })}`;
}

/** Rough text width in pixels of a sans-serif string at `size` px (no DOM to measure with). */
export function textWidth(text: string, size = 12): number {
  return [...text].length * size * 0.6;
}

/** A title read bottom to top, centred on (cx, cy): a y axis's or a colour scale's. */
export function verticalTitle(cls: string, cx: number, cy: number, text: string): string {
  return el(
    'text',
    {
      class: cls,
      x: cx,
      y: cy,
      'text-anchor': 'middle',
      transform: `rotate(-90 ${num(cx)} ${num(cy)})`,
    },
    esc(text),
  );
}
