import { describe, expect, it } from 'vitest';
import { spamMetrics } from './metrics';

describe('spamMetrics', () => {
  it('counts the confusion matrix and the rates (spam positive)', () => {
    // truth:     spam spam spam ham ham ham ham
    // predicted: spam spam ham  spam ham ham ham  → tp 2, fn 1, fp 1, tn 3
    const m = spamMetrics(
      ['spam', 'spam', 'spam', 'ham', 'ham', 'ham', 'ham'],
      ['spam', 'spam', 'ham', 'spam', 'ham', 'ham', 'ham'],
    );
    expect(m.confusion).toEqual([
      [3, 1],
      [1, 2],
    ]);
    expect(m.accuracy).toBe(0.7143);
    expect(m.spamPrecision).toBe(0.6667);
    expect(m.spamRecall).toBe(0.6667);
    expect(m.spamF1).toBe(0.6667);
    expect(m.hamFalsePositiveRate).toBe(0.25);
  });

  it('refuses lists of different lengths', () => {
    expect(() => spamMetrics(['spam'], [])).toThrow(/1 true labels but 0 predictions/);
  });
});
