import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bleu } from './bleu';
import { accuracy, bitsPerChar, perplexity, tokenAccuracy } from './classification';
import { characterErrorRate, editDistance, phonemeErrorRate, wordErrorRate } from './edit-distance';

beforeAll(() => useBackend('cpu'));

const split = (s: string) => s.split(' ');

describe('edit distance, WER, PER, CER', () => {
  it('Levenshtein distance', () => {
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(editDistance([], [1, 2])).toBe(2);
    expect(editDistance([1, 2, 3], [1, 2, 3])).toBe(0);
  });
  it('WER by hand: one substitution and one deletion over 6 words', () => {
    expect(wordErrorRate(['the cat sat on the mat'], ['the cat sit on mat'])).toBeCloseTo(
      2 / 6,
      12,
    );
    // corpus-level: edits pooled over the total reference length, not averaged per sentence
    expect(wordErrorRate(['a b', 'c d e f'], ['a x', 'c d e f'])).toBeCloseTo(1 / 6, 12);
  });
  it('PER over phoneme arrays, CER over characters', () => {
    expect(phonemeErrorRate([['K', 'AE1', 'T']], [['K', 'AH0', 'T', 'S']])).toBeCloseTo(2 / 3, 12);
    expect(characterErrorRate(['abc'], ['abd'])).toBeCloseTo(1 / 3, 12);
    expect(() => wordErrorRate(['a'], [])).toThrow(RangeError);
  });
});

describe('BLEU', () => {
  // nltk.translate.bleu_score docstring example (Papineni's), values printed by nltk 3.x.
  const hyp1 = split(
    'It is a guide to action which ensures that the military always obeys the commands of the party',
  );
  const ref1a = split(
    'It is a guide to action that ensures that the military will forever heed Party commands',
  );
  const ref1b = split(
    'It is the guiding principle which guarantees the military forces always being under the command of the Party',
  );
  const ref1c = split(
    'It is the practical guide for the army always to heed the directions of the party',
  );
  const hyp2 = split('he read the book because he was interested in world history');
  const ref2a = split('he was interested in world history because he read the book');

  it('matches nltk corpus_bleu and sentence_bleu on the docstring example', () => {
    expect(bleu([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]).bleu).toBeCloseTo(
      0.5920778868801042,
      12,
    );
    expect(bleu([[ref1a, ref1b, ref1c]], [hyp1]).bleu).toBeCloseTo(0.5045666840058485, 12);
  });
  it('by hand: bigram BLEU of "the cat sat on the mat" vs "the cat is on the mat"', () => {
    const r = bleu([[split('the cat is on the mat')]], [split('the cat sat on the mat')], {
      maxOrder: 2,
    });
    expect(r.precisions).toEqual([5 / 6, 3 / 5]);
    expect(r.brevityPenalty).toBe(1);
    expect(r.bleu).toBeCloseTo(Math.sqrt(0.5), 12);
    // no 4-gram match → 0 without smoothing
    expect(bleu([[split('the cat is on the mat')]], [split('the cat sat on the mat')]).bleu).toBe(
      0,
    );
  });
  it('brevity penalty exp(1 - r/c) for a short hypothesis', () => {
    const r = bleu([[split('a b c d')]], [split('a b')], { maxOrder: 1 });
    expect(r.precisions).toEqual([1]);
    expect(r.bleu).toBeCloseTo(Math.exp(1 - 4 / 2), 12);
  });
});

describe('accuracy, token accuracy, perplexity, bits per char', () => {
  it('accuracy counts argmax hits', () => {
    const logits = tf.tensor2d([
      [0.1, 0.9],
      [0.8, 0.2],
      [0.3, 0.7],
    ]);
    const labels = tf.tensor1d([1, 1, 1], 'int32');
    expect(accuracy(logits, labels)).toEqual({ sum: 2, count: 3 });
    tf.dispose([logits, labels]);
  });
  it('token accuracy leaves out masked positions', () => {
    const logits = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
        [1, 0],
      ],
    ]);
    const labels = tf.tensor2d([[0, 0, 1]], undefined, 'int32');
    const mask = tf.tensor2d([[1, 1, 0]]);
    expect(tokenAccuracy(logits, labels, mask)).toEqual({ sum: 1, count: 2 });
    expect(tokenAccuracy(logits, labels)).toEqual({ sum: 1, count: 3 });
    tf.dispose([logits, labels, mask]);
  });
  it('perplexity and bits per char from a mean NLL in nats', () => {
    expect(perplexity(Math.log(50))).toBeCloseTo(50, 10);
    expect(bitsPerChar(Math.log(2) * 1.5)).toBeCloseTo(1.5, 12);
  });
});
