import { describe, expect, it } from 'vitest';
import { classificationReport, perplexityReport } from './report';

describe('classificationReport', () => {
  it('computes accuracy, per-class F1 and the confusion matrix', () => {
    // truth:     a a a b b c
    // predicted: a a b b c c
    const r = classificationReport([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ['a', 'b', 'c']);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    // a: P 1, R 2/3 → F1 0.8; b: P 1/2, R 1/2 → 0.5; c: P 1/2, R 1 → 2/3
    expect(r.perClass.map((c) => c.f1)).toEqual(
      [0.8, 0.5, 2 / 3].map((x) => expect.closeTo(x, 12)),
    );
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(r.perClass.map((c) => c.support)).toEqual([3, 2, 1]);
  });

  it('gives F1 0 to a class never predicted and rejects mismatched lengths and bad ids', () => {
    const r = classificationReport([0, 1], [0, 0], ['x', 'y']);
    expect(r.perClass[1].f1).toBe(0);
    expect(() => classificationReport([0], [0, 1], ['x', 'y'])).toThrow(/1 true labels but 2/);
    expect(() => classificationReport([0, 2], [0, 1], ['x', 'y'])).toThrow(/entry 1 has truth 2/);
  });
});

describe('perplexityReport', () => {
  it('is exp of the mean nll, in nats and bits', () => {
    const r = perplexityReport(Math.LN2 * 6, 3); // 2 bits per token
    expect(r.crossEntropy).toBeCloseTo(2 * Math.LN2, 12);
    expect(r.bitsPerToken).toBeCloseTo(2, 12);
    expect(r.perplexity).toBeCloseTo(4, 12);
    expect(r.tokens).toBe(3);
    expect(() => perplexityReport(1, 0)).toThrow(/at least one predicted token/);
  });
});
