import { describe, expect, it } from 'vitest';
import { stopLine } from './progress';

describe('stopLine: why training stopped, as a sentence in the flags given', () => {
  const saved = { out: 'm', lastCheckpoint: null };
  it('the time budget names --max-minutes, not the option name', () => {
    const line = stopLine('maxMinutes', 168, { maxMinutes: 10 }, saved);
    expect(line).toBe(
      'stopped: time budget (--max-minutes 10) used up after 168 steps; model saved to m',
    );
    expect(line).not.toMatch(/maxMinutes/);
    expect(stopLine('timeBudget', 1, { maxMinutes: 0.5 }, saved)).toBe(
      'stopped: time budget (--max-minutes 0.5) used up after 1 step; model saved to m',
    );
  });

  it('each stop reason reads as a sentence; the checkpoint is named when there is one', () => {
    expect(stopLine('completed', 2, { epochs: 1 }, saved)).toBe(
      'finished: 1 epoch (--epochs) done after 2 steps; model saved to m',
    );
    expect(stopLine('maxSteps', 50, { maxSteps: 50 }, saved)).toBe(
      'stopped: step limit (--max-steps 50) reached after 50 steps; model saved to m',
    );
    expect(stopLine('earlyStopping', 280, { patience: 3 }, saved)).toBe(
      'stopped early: validation did not improve for 3 validations (--patience 3) after 280 steps; model saved to m',
    );
    expect(
      stopLine('interrupted', 37, {}, { out: 'm', lastCheckpoint: 'm/checkpoints/ckpt-000000037' }),
    ).toBe(
      'stopped: interrupted (Ctrl-C) after 37 steps; model saved to m, checkpoint m/checkpoints/ckpt-000000037',
    );
    for (const reason of ['completed', 'maxSteps', 'earlyStopping', 'aborted', 'timeBudget']) {
      expect(stopLine(reason, 3, {}, saved)).not.toMatch(/[a-z][A-Z]/); // no camelCase names
    }
  });
});
