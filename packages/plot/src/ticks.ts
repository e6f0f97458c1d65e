/**
 * "Nice numbers" for axis ticks (Heckbert, Graphics Gems 1990): a step of 1, 2, 2.5 or 5 times a
 * power of ten, and an axis range widened to whole steps so that the ticks cover the data.
 */
export function niceNumber(x: number, round: boolean): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const exp = Math.floor(Math.log10(x));
  const f = x / 10 ** exp;
  let nf: number;
  if (round) nf = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
  else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nf * 10 ** exp;
}

/** An axis's ticks: values, range and labels (what `linearTicks` and `logTicks` return). */
export interface Ticks {
  /** The tick values, ascending; the first is ≤ the data's minimum and the last ≥ its maximum. */
  values: number[];
  /** The axis range: the first and last tick. */
  min: number;
  max: number;
  /** Labels of the ticks, same length as `values`. */
  labels: string[];
}

/** About `count` evenly spaced nice ticks covering [lo, hi]. */
export function linearTicks(lo: number, hi: number, count = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceNumber(niceNumber(hi - lo, false) / Math.max(1, count - 1), true);
  // Rounded to the step's decimals so that 0.1 + 0.2 is 0.3.
  const round = (v: number) => Number(v.toFixed(decimalsOf(step) + 1));
  const min = round(Math.floor(lo / step + 1e-9) * step);
  const max = round(Math.ceil(hi / step - 1e-9) * step);
  const values: number[] = [];
  for (let v = min, i = 0; v <= max + step / 2 && i < 1000; i++, v = round(min + i * step)) {
    values.push(v);
  }
  const labelDecimals = decimalsOf(step);
  const big = Math.max(Math.abs(min), Math.abs(values[values.length - 1]));
  // Very small steps and very large values in exponent form (3 significant digits at most).
  const exponent = labelDecimals > 5 || big >= 1e6;
  const digits = exponent ? significantDigits(values, step) : 0;
  return {
    values,
    min,
    max: values[values.length - 1],
    labels: values.map((v) =>
      exponent ? (v === 0 ? '0' : shortExponent(v, digits)) : formatFixed(v, labelDecimals),
    ),
  };
}

/** Decimals needed to show multiples of `step` exactly (2.5 → 1, 0.25 → 2, 20 → 0). */
function decimalsOf(step: number): number {
  for (let d = 0; d < 20; d++) {
    const x = step * 10 ** d;
    if (x >= 1 - 1e-9 && Math.abs(x - Math.round(x)) < 1e-6 * x) return d;
  }
  return 20;
}

/** Digits after the point in exponent form that tell the ticks apart. */
function significantDigits(values: number[], step: number): number {
  const top = Math.max(...values.map((v) => Math.abs(v)));
  return Math.max(
    0,
    Math.min(6, Math.floor(Math.log10(top) + 1e-9) - Math.floor(Math.log10(step) + 1e-9) + 1),
  );
}

/** 2.5e-7, 1e6 (no '+', no trailing zeros). */
function shortExponent(v: number, digits: number): string {
  const [m, e] = v.toExponential(digits).split('e');
  return `${String(Number(m))}e${Number(e)}`;
}

function formatFixed(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/**
 * Ticks for a log axis over [lo, hi] (both > 0): whole decades (every k-th when there are many),
 * or 1-2-5 (then 1…9) within a decade when the data spans less than about two decades.
 */
export function logTicks(lo: number, hi: number): Ticks {
  if (!(lo > 0) || !Number.isFinite(lo)) lo = hi > 0 ? hi / 10 : 1;
  if (!(hi > 0) || !Number.isFinite(hi)) hi = lo * 10;
  if (lo > hi) [lo, hi] = [hi, lo];
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = Math.max(1, e1 - e0);
  if (decades >= 3) {
    const every = Math.ceil(decades / 8);
    const start = Math.floor(e0 / every) * every;
    const end = Math.ceil(e1 / every) * every;
    const values: number[] = [];
    for (let e = start; e <= end; e += every) values.push(10 ** e);
    return {
      values,
      min: values[0],
      max: values[values.length - 1],
      labels: values.map(formatLog),
    };
  }
  for (const mantissas of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const all: number[] = [];
    for (let e = e0 - 1; e <= e1; e++)
      for (const m of mantissas) all.push(Number((m * 10 ** e).toPrecision(6)));
    const below = all.filter((v) => v <= lo * (1 + 1e-9)).at(-1) ?? all[0];
    const above = all.find((v) => v >= hi * (1 - 1e-9)) ?? all[all.length - 1];
    const values = all.filter((v) => v >= below && v <= above);
    if (values.length >= 4 || mantissas.length === 9) {
      return { values, min: below, max: above, labels: values.map(formatLog) };
    }
  }
  throw new Error('unreachable');
}

/** 1e-7 → "1e-7", 0.01 → "0.01", 2000 → "2000", 1e6 → "1e6". */
export function formatLog(v: number): string {
  const e = Math.floor(Math.log10(v) + 1e-9);
  if (e >= -3 && e <= 4) return String(Number(v.toPrecision(6)));
  const m = Number((v / 10 ** e).toPrecision(3));
  return `${m}e${e}`;
}
