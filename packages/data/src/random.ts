import { DataArgumentError } from './errors';

/** The serializable state of an `Rng`: four unsigned 32-bit words. */
export interface RngState {
  readonly sfc32: readonly [number, number, number, number];
}

/** splitmix32: turns any 32-bit seed into well-mixed words (used to seed `Rng`). */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [s, z >>> 0];
}

/** Mixes several numbers (e.g. a seed, an epoch, an index) into one 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x2545f491;
  for (const p of parts) {
    // Fold numbers up to 2^53 in as two 32-bit halves.
    const lo = p >>> 0;
    const hi = Math.floor(p / 0x100000000) >>> 0;
    for (const w of [lo, hi]) {
      h = Math.imul(h ^ w, 0x9e3779b1);
      h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
      h ^= h >>> 13;
    }
  }
  return h >>> 0;
}

/**
 * A small seeded pseudo-random generator (sfc32, 128-bit state) shared by `shuffle`, `split` and
 * the synthetic tasks. Same seed, same stream, on every platform. Its state is four integers:
 * `rng.state()` / `Rng.fromState(state)` let a training loop save and restore it.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string = 0) {
    let s = typeof seed === 'string' ? hashString(seed) : seed;
    if (typeof s !== 'number' || !Number.isFinite(s))
      throw new DataArgumentError(`Rng seed must be a finite number or a string, got ${seed}.`);
    s = mixSeed(s);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(s);
      s = next;
      words.push(out);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A generator that continues from a state saved with `state()`. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** The generator's state as JSON-able data, to save and restore with `setState`. */
  state(): RngState {
    return { sfc32: [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0] };
  }

  /** Restores a state from `state()`; throws a `DataArgumentError` on a malformed one. */
  setState(state: RngState): void {
    const w = state?.sfc32;
    if (!Array.isArray(w) || w.length !== 4 || w.some((x) => !Number.isInteger(x)))
      throw new DataArgumentError(
        `Not an Rng state: expected { sfc32: [4 integers] }, got ${JSON.stringify(state)}.`,
      );
    [this.a, this.b, this.c, this.d] = w.map((x) => x | 0) as [number, number, number, number];
  }

  /** An independent generator derived from this one's current state and `salt` (this one is not advanced). */
  fork(salt: number): Rng {
    return new Rng(mixSeed(this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0, salt));
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Uniform integer in [0, n) (or [n, m) with two arguments), without modulo bias. */
  int(n: number, m?: number): number {
    const lo = m === undefined ? 0 : n;
    const span = m === undefined ? n : m - n;
    if (!Number.isInteger(span) || span <= 0 || span > 0x100000000)
      throw new DataArgumentError(
        `Rng.int needs a non-empty integer range, got [${lo}, ${lo + span}).`,
      );
    const limit = 0x100000000 - (0x100000000 % span);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return lo + (x % span);
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** True with probability `p`. */
  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** 32-bit FNV-1a over the UTF-8 bytes of `text`, finished with murmur3's fmix32. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  const byte = (b: number) => {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xe000) {
      const d = c < 0xdc00 && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd; // a lone surrogate hashes as U+FFFD, as TextEncoder writes it
    }
    if (c < 0x80) byte(c);
    else if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 63));
    } else if (c < 0x10000) {
      byte(0xe0 | (c >> 12));
      byte(0x80 | ((c >> 6) & 63));
      byte(0x80 | (c & 63));
    } else {
      byte(0xf0 | (c >> 18));
      byte(0x80 | ((c >> 12) & 63));
      byte(0x80 | ((c >> 6) & 63));
      byte(0x80 | (c & 63));
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
