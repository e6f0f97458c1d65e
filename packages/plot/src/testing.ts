// Helpers for the snapshot-of-structure tests: read an SVG's parts back by class, with regexes
// (the SVG is ours and regular: one element per line, attributes in double quotes).

/** The text content of every `<text>` whose class is exactly `cls`. */
export function texts(svg: string, cls: string): string[] {
  const re = new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g');
  return [...svg.matchAll(re)].map((m) => unescapeXml(m[1]));
}

/** Every element `<tag …>` whose class is exactly `cls`, as its attributes. */
export function elements(svg: string, tag: string, cls: string): Record<string, string>[] {
  const re = new RegExp(`<${tag} class="${cls}"([^>]*?)/?>`, 'g');
  return [...svg.matchAll(re)].map((m) =>
    Object.fromEntries(
      [...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], unescapeXml(a[2])]),
    ),
  );
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * True when `values` are evenly spaced multiples of a step 1, 2, 2.5 or 5 × 10^k ("nice"), or
 * (log axes) all of the form m × 10^k with m in {1, 2, 5} or 1…9.
 */
export function isNiceLinear(values: readonly number[]): boolean {
  if (values.length < 2) return false;
  const diff = values[1] - values[0];
  const exp = Math.floor(Math.log10(diff) + 1e-9);
  const mantissa = Number((diff / 10 ** exp).toPrecision(6));
  if (![1, 2, 2.5, 5].includes(mantissa)) return false;
  const step = mantissa * 10 ** exp;
  return values.every(
    (v, i) =>
      Math.abs(v - values[0] - i * step) < step * 1e-4 &&
      Math.abs(v / step - Math.round(v / step)) < 1e-4,
  );
}

export function isNiceLog(values: readonly number[]): boolean {
  return values.every((v) => {
    const e = Math.floor(Math.log10(v) + 1e-9);
    const m = Number((v / 10 ** e).toPrecision(6));
    return Number.isInteger(m) && m >= 1 && m <= 9;
  });
}
