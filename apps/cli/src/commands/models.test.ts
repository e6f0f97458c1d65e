import { UnknownModelError } from '@seqzoo/registry';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../errors';
import { seqzoo } from '../testing';
import { cliRegistry, formatDescription } from './models';

describe('describe: an unknown id', () => {
  it("a registered model's name without its namespace suggests the full id", () => {
    let error: unknown;
    try {
      formatDescription(cliRegistry(), 'char-lm');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownModelError);
    expect((error as UnknownModelError).suggestions).toEqual(['zoo:char-lm']);
    expect(oneLine(error)).toMatch(
      /^UnknownModelError: Unknown model 'char-lm'\. Did you mean 'zoo:char-lm'\? Registered models: .*run `seqzoo models` for the list\.$/,
    );
  });

  it('a typo suggests the close id; a name like none suggests nothing', () => {
    const registry = cliRegistry();
    const typo = (() => {
      try {
        formatDescription(registry, 'zoo:rnn-clasifier');
      } catch (e) {
        return e as UnknownModelError;
      }
    })();
    expect(typo?.suggestions).toEqual(['zoo:rnn-classifier']);
    const far = (() => {
      try {
        formatDescription(registry, 'zoo:transformer');
      } catch (e) {
        return e as UnknownModelError;
      }
    })();
    expect(far?.suggestions).toEqual([]);
    expect(far?.message).not.toMatch(/Did you mean/);
  });

  it('`seqzoo describe char-lm` prints the suggestion on one line and exits 1', async () => {
    const r = await seqzoo('describe', 'char-lm');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Did you mean 'zoo:char-lm'\?/);
  });
});
