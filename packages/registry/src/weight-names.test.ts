import { describe, expect, it } from 'vitest';
import { nameMismatch, renameWeight, suggestRename } from './weight-names';

describe('weight names', () => {
  it('renameWeight: the first rule whose prefix matches, once; other names unchanged', () => {
    const rules = [
      ['head.', 'decoder.'],
      ['h', 'x'],
      ['', 'model.'],
    ] as const;
    expect(renameWeight('head.weight', rules)).toBe('decoder.weight');
    expect(renameWeight('hidden', rules)).toBe('xidden');
    expect(renameWeight('rnn.bias', rules)).toBe('model.rnn.bias');
    expect(renameWeight('rnn.bias', [])).toBe('rnn.bias');
  });

  it('suggestRename: the prefixes before a common dotted tail that explain the most names', () => {
    expect(suggestRename(['decoder.weight', 'decoder.bias'], ['head.weight', 'head.bias'])).toEqual(
      ['head.', 'decoder.'],
    );
    expect(
      suggestRename(
        ['rnn.bias', 'embedding.weight'],
        ['module.rnn.bias', 'module.embedding.weight'],
      ),
    ).toEqual(['module.', '']);
    expect(suggestRename(['model.rnn.bias'], ['rnn.bias'])).toEqual(['', 'model.']);
    // 'weight' and 'eight' share no whole dotted part
    expect(suggestRename(['a.weight'], ['b.eight'])).toBeUndefined();
    expect(suggestRename(['a.weight'], [])).toBeUndefined();
  });

  it('nameMismatch: undefined when the names match, else every name once with shapes and advice', () => {
    const expected = new Map([
      ['rnn.bias', [8]],
      ['decoder.weight', [3, 4]],
    ]);
    expect(nameMismatch(expected, new Map(expected))).toBeUndefined();
    const file = new Map([
      ['rnn.bias', [8]],
      ['head.weight', [3, 4]],
      ['extra', [1]],
    ]);
    expect(nameMismatch(expected, file)).toBe(
      "the file's tensor names do not match the model's: missing from the file: 'decoder.weight' [3,4]; in the file but not taken by the model: 'head.weight' [3,4], 'extra' [1]. If these are the same weights under other names, map them with --rename 'head.=decoder.' (importWeights' rename: [['head.', 'decoder.']]).",
    );
    expect(nameMismatch(expected, file, [['head.', 'decoder.']])).toBe(
      "the file's tensor names do not match the model's: in the file but not taken by the model: 'extra' [1]. The file is for another model or config.",
    );
    expect(nameMismatch(expected, file, [['head.', 'dec.']])).toMatch(
      /'head\.weight' \[3,4\] \(renamed 'dec\.weight'\)/,
    );
  });
});
