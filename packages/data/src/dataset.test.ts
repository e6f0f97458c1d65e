import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dataset, type DatasetState } from './dataset';
import { readCsv } from './read-csv';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Takes `k` items, saves the state, and resumes from it (as JSON, as a checkpoint would). */
async function resumeAt<T>(
  ds: Dataset<T>,
  k: number,
  epoch = 0,
): Promise<{ head: T[]; tail: T[] }> {
  const it = ds.iterator({ epoch });
  const head: T[] = [];
  for (let i = 0; i < k; i++) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
  }
  const saved = JSON.parse(JSON.stringify(it.state())) as DatasetState;
  await it.return();
  return { head, tail: await ds.toArray(saved) };
}

describe('Dataset', () => {
  it('maps, filters, takes, skips and batches lazily', async () => {
    const ds = Dataset.from(range(20))
      .filter((x) => x % 2 === 0)
      .map((x) => x * 10)
      .skip(1)
      .take(6)
      .batch(4);
    expect(await ds.toArray()).toEqual([
      [20, 40, 60, 80],
      [100, 120],
    ]);
    expect(await Dataset.from(range(10)).batch(4, { dropRemainder: true }).toArray()).toHaveLength(
      2,
    );
  });

  it('awaits async map and filter functions in order', async () => {
    const ds = Dataset.from(range(600)).map(async (x) => {
      await new Promise((r) => setTimeout(r, x % 3));
      return x + 1;
    });
    expect(await ds.toArray()).toEqual(range(600).map((x) => x + 1));
  });

  it('shuffles reproducibly: same seed and epoch, same order; another epoch, another order', async () => {
    const ds = Dataset.from(range(1000)).shuffle(100, 42);
    const a = await ds.toArray();
    const b = await ds.toArray();
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(range(1000));
    expect(a).not.toEqual(range(1000));
    expect(await ds.toArray({ epoch: 1 })).not.toEqual(a);
    expect(await Dataset.from(range(1000)).shuffle(100, 43).toArray()).not.toEqual(a);
    const fixed = Dataset.from(range(50)).shuffle(50, 1, { reshuffleEachEpoch: false });
    expect(await fixed.toArray({ epoch: 3 })).toEqual(await fixed.toArray({ epoch: 0 }));
  });

  it('repeats, with a new shuffle per pass', async () => {
    const ds = Dataset.from(range(30)).shuffle(30, 5).repeat(2);
    const all = await ds.toArray();
    expect(all).toHaveLength(60);
    expect(all.slice(0, 30)).not.toEqual(all.slice(30));
    expect([...all.slice(30)].sort((x, y) => x - y)).toEqual(range(30));
    expect(await Dataset.from([1, 2]).repeat().take(5).toArray()).toEqual([1, 2, 1, 2, 1]);
  });

  it('prefetches without changing the items', async () => {
    const ds = Dataset.from(range(1000)).map((x) => x * 2);
    expect(await ds.prefetch(3).toArray()).toEqual(await ds.toArray());
  });

  it('resumes mid-epoch with exactly the remaining items, at every position', async () => {
    const pipeline = Dataset.from(range(97))
      .shuffle(16, 3)
      .map((x) => x * 3)
      .filter((x) => x % 2 === 1)
      .repeat(2)
      .prefetch(2)
      .batch(5);
    for (const epoch of [0, 4]) {
      const full = await pipeline.toArray({ epoch });
      for (let k = 0; k <= full.length; k++) {
        const { head, tail } = await resumeAt(pipeline, k, epoch);
        expect([...head, ...tail]).toEqual(full);
      }
    }
  });

  it('resumes a reader pipeline with padded batches', async () => {
    const csv = `id,text\n${range(200)
      .map((i) => `${i},"${'x'.repeat(i % 7)}"`)
      .join('\n')}\n`;
    const blob = new Blob([csv]);
    const ds = readCsv(blob)
      .map((r) => Array.from(r.text, () => Number(r.id) + 1))
      .shuffle(32, 9)
      .paddedBatch(8);
    const full = await ds.toArray({ epoch: 2 });
    for (const k of [0, 1, 7, 13, full.length]) {
      const { head, tail } = await resumeAt(ds, k, 2);
      expect([...head, ...tail]).toEqual(full);
    }
  });

  it('fast-forwards array and generated sources without computing skipped items', async () => {
    let made = 0;
    const ds = Dataset.generate(1000, (i) => {
      made++;
      return i;
    })
      .map((x) => x + 1)
      .batch(10);
    const it = ds.iterator({ epoch: 0, index: 95 });
    expect((await it.next()).value).toEqual(range(10).map((i) => 951 + i));
    expect(made).toBeLessThanOrEqual(256 + 10);
    expect(it.state()).toEqual({ epoch: 0, index: 96 });
  });

  it('rejects a state that cannot belong to it', () => {
    expect(() => Dataset.from([1, 2]).iterator({ epoch: 0, index: 5 })).toThrow(/has 2 items/);
    expect(() => Dataset.from([1]).iterator({ epoch: -1, index: 0 })).toThrow(
      /Not a dataset state/,
    );
  });

  it('splits by ratio and seed into disjoint parts of about the right size', async () => {
    const { train, test } = Dataset.from(range(10_000)).split({
      ratios: { train: 0.8, test: 0.2 },
      seed: 1,
    });
    const a = await train.toArray();
    const b = await test.toArray();
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(range(10_000));
    expect(b.length).toBeGreaterThan(1800);
    expect(b.length).toBeLessThan(2200);
    expect(await test.toArray()).toEqual(b);
  });

  it('splits by key so that no item moves when the data grows or is reordered', async () => {
    const words = range(3000).map((i) => `w${i}`);
    const ratios = { train: 0.7, valid: 0.1, test: 0.2 };
    const small = Dataset.from(words).split({ ratios, key: (w) => w });
    const grown = Dataset.from([...words, ...range(5000).map((i) => `new${i}`)].reverse()).split({
      ratios,
      key: (w) => w,
    });
    for (const name of ['train', 'valid', 'test'] as const) {
      const before = new Set(await small[name].toArray());
      const after = new Set(await grown[name].toArray());
      for (const w of before) expect(after.has(w)).toBe(true);
      for (const w of after) if (!w.startsWith('new')) expect(before.has(w)).toBe(true);
    }
  });
});

it('disposes the tensors a map built ahead but never handed out when iteration stops early', async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const ds = Dataset.from(Array.from({ length: 100 }, (_, i) => i)).map((i) => ({
    x: tf.scalar(i),
    label: i % 2,
  }));
  const seen: number[] = [];
  for await (const item of ds) {
    seen.push(item.x.dataSync()[0]);
    tf.dispose(item.x);
    if (seen.length === 3) break;
  }
  expect(seen).toEqual([0, 1, 2]);
  expect(tf.memory().numTensors).toBe(before);
});
