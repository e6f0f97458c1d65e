import { describe, expect, it } from 'vitest';
import { BowFeaturizer, ngrams } from './featurizer';

describe('BowFeaturizer', () => {
  it('computes smoothed TF-IDF with L2 normalisation (by hand)', () => {
    // N = 2; df(a) = 2, df(b) = df(c) = 1 → idf(a) = ln(3/3) + 1 = 1, idf(b) = idf(c) = ln(3/2) + 1.
    const f = BowFeaturizer.fit(['a b', 'A c c'], { ngramRange: [1, 1], minDf: 1 });
    expect(f.terms).toEqual(['a', 'b', 'c']);
    const idfB = Math.log(1.5) + 1;
    expect(Array.from(f.idf)).toEqual([1, idfB, idfB].map((x) => expect.closeTo(x, 12)));
    // "a c c": a → 1·1, c → 2·idf(c); then divided by the norm.
    const v = f.transform('a c c');
    const norm = Math.sqrt(1 + (2 * idfB) ** 2);
    expect(v.indices).toEqual([0, 2]);
    expect(v.values[0]).toBeCloseTo(1 / norm, 12);
    expect(v.values[1]).toBeCloseTo((2 * idfB) / norm, 12);
    // Unknown words are dropped; an empty document is the zero vector.
    expect(f.transform('zebra')).toEqual({ indices: [], values: [] });
  });

  it('counts, binary and sublinear weightings without normalisation', () => {
    const base = { ngramRange: [1, 1] as [number, number], minDf: 1, normalize: false };
    const count = BowFeaturizer.fit(['x y y'], { ...base, weighting: 'count' });
    expect(count.transform('y y y x').values).toEqual([1, 3]);
    const binary = BowFeaturizer.fit(['x y y'], { ...base, weighting: 'binary' });
    expect(binary.transform('y y y x').values).toEqual([1, 1]);
    const sub = BowFeaturizer.fit(['x y y'], { ...base, weighting: 'count', sublinearTf: true });
    expect(sub.transform('y y y').values[0]).toBeCloseTo(1 + Math.log(3), 12);
  });

  it('makes unigrams and bigrams; minDf, maxDf and maxFeatures limit the vocabulary', () => {
    expect(ngrams(['the', 'cat', 'sat'], [1, 2])).toEqual([
      'the',
      'cat',
      'sat',
      'the cat',
      'cat sat',
    ]);
    const docs = ['the cat sat', 'the cat ran', 'the dog sat', 'a bird, flew!'];
    const all = BowFeaturizer.fit(docs, { minDf: 1 });
    expect(all.terms).toContain('the cat');
    expect(all.terms).toContain(',');
    const min2 = BowFeaturizer.fit(docs, { minDf: 2 });
    expect(min2.terms).toEqual(['cat', 'sat', 'the', 'the cat']);
    const noCommon = BowFeaturizer.fit(docs, { minDf: 2, maxDf: 0.7 });
    expect(noCommon.terms).toEqual(['cat', 'sat', 'the cat']);
    // maxFeatures keeps the most frequent terms over the corpus (ties by term), stored sorted.
    const top2 = BowFeaturizer.fit(docs, { minDf: 1, maxFeatures: 2 });
    expect(top2.terms).toEqual(['cat', 'the']);
    const frac = BowFeaturizer.fit(docs, { minDf: 0.5, ngramRange: [1, 1] });
    expect(frac.terms).toEqual(['cat', 'sat', 'the']);
    expect(() => BowFeaturizer.fit(docs, { minDf: 9 })).toThrow(/lower minDf/);
    expect(() => BowFeaturizer.fit(docs, { ngramRange: [2, 1] })).toThrow(/ngramRange/);
  });

  it('round-trips through JSON', () => {
    const f = BowFeaturizer.fit(['the cat sat', 'the dog sat'], { minDf: 1 });
    const back = BowFeaturizer.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect(back.transform('the cat sat on the dog')).toEqual(f.transform('the cat sat on the dog'));
    expect(() => BowFeaturizer.fromJSON({} as never)).toThrow(/seqzoo.bow\/1/);
  });
});
