/** The element with this id; throws when the page lacks it (a typo, not a user error). */
export function byId<T extends Element = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as unknown as T;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (and text). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A number field's value, checked: at least `min`, an integer when `integer`. */
export function numberField(id: string, min: number, integer = true): number {
  const input = byId<HTMLInputElement>(id);
  const value = Number(input.value);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(
      `${input.labels?.[0]?.textContent?.trim() ?? id}: expected ${integer ? 'an integer' : 'a number'} ≥ ${min}, got '${input.value}'.`,
    );
  }
  return value;
}

/** Lets the browser paint and handle input between two steps of work. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
