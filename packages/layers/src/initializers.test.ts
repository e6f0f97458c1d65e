import { describe, expect, it } from 'vitest';
import { initializers, resolveInitializer } from './initializers';
import { Random } from './random';

const ctx = (fanIn: number, fanOut: number) => ({
  rng: new Random(42),
  fanIn,
  fanOut,
  pytorchBound: 1 / Math.sqrt(fanIn),
});

describe('initializers', () => {
  it('orthogonal gives orthonormal rows for a wide matrix and columns for a tall one', () => {
    for (const [rows, cols] of [
      [16, 64],
      [48, 12],
      [20, 20],
    ]) {
      const w = initializers.orthogonal(1)([rows, cols], ctx(rows, cols));
      const [a, b, inner] = rows <= cols ? [rows, cols, 'rows'] : [cols, rows, 'cols'];
      const at = (i: number, k: number) => (inner === 'rows' ? w[i * cols + k] : w[k * cols + i]);
      let worst = 0;
      for (let i = 0; i < (a as number); i++) {
        for (let j = 0; j < (a as number); j++) {
          let dot = 0;
          for (let k = 0; k < (b as number); k++) dot += at(i, k) * at(j, k);
          worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
        }
      }
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('orthogonal of 256 × 1024 is fast (QR in Float64) and seeded', () => {
    const a = initializers.orthogonal()([256, 1024], ctx(256, 1024));
    const b = initializers.orthogonal()([256, 1024], ctx(256, 1024));
    expect(a).toEqual(b);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('glorot and pytorch uniform stay inside their bounds', () => {
    const g = resolveInitializer('glorotUniform')([30, 50], ctx(30, 50));
    expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 80));
    const p = resolveInitializer('pytorchUniform')([100], ctx(25, 100));
    expect(Math.max(...p.map(Math.abs))).toBeLessThanOrEqual(0.2);
    expect(Math.max(...p.map(Math.abs))).toBeGreaterThan(0.15);
  });

  it('glorotNormal has the Glorot standard deviation', () => {
    const w = resolveInitializer('glorotNormal')([200, 300], ctx(200, 300));
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.95 * Math.sqrt(2 / 500));
    expect(std).toBeLessThan(1.05 * Math.sqrt(2 / 500));
  });

  it('names an unknown initializer in the error', () => {
    expect(() => resolveInitializer('he' as 'zeros')).toThrow(/unknown initializer 'he'/);
  });
});
