import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { describe, expect, it } from 'vitest';
import type { GradientCurve } from '../src/index';
import { gradientFlow } from '../src/inside/index';
import { FIGURES_DIR, GRADIENT_SETUP, staleFigures } from './figures';

describe("the README's See inside figures", () => {
  it('are what the committed data draws (run `npm run figures -w @seqzoo/plot` when not)', () => {
    expect(staleFigures()).toEqual([]);
  });

  it('the gradient-flow data is what gradientFlow computes today (cpu, seed 0)', async () => {
    await useBackend(GRADIENT_SETUP.backend);
    const committed = JSON.parse(
      readFileSync(join(FIGURES_DIR, 'data/gradients.json'), 'utf8'),
    ) as GradientCurve[];
    const now = gradientFlow(GRADIENT_SETUP.lengths, { seed: GRADIENT_SETUP.seed });
    expect(now.map((c) => [c.cell, c.length])).toEqual(committed.map((c) => [c.cell, c.length]));
    now.forEach((c, i) => {
      c.norms.forEach((v, t) => {
        expect(Math.abs(v - committed[i].norms[t]) / committed[i].norms[t]).toBeLessThan(1e-3);
      });
    });
  });
});
