// The shipped model's numbers, reproduced: metrics.json records (at pack time) the WER/PER of a
// fixed 500-word subset of CMUdict's test split; this recomputes them from the files in model/
// on the same backend (wasm). Also the checksum and the size budget.
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { sha256Hex } from '@seqzoo/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type ScoredRates, SUBSET_SIZE, testSubset, type WordList } from './evaluation';
import { type G2P, loadG2P } from './g2p';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const metrics = JSON.parse(await readFile(join(root, 'model/metrics.json'), 'utf8'));
/** One word of 500 either way (float rounding can flip a near tie), and a little PER. */
const TOLERANCE = { wer: 1 / SUBSET_SIZE + 1e-9, per: 0.002 };

function expectClose(got: ScoredRates, recorded: ScoredRates) {
  for (const kind of ['stress', 'noStress'] as const) {
    expect(Math.abs(got[kind].wer - recorded[kind].wer)).toBeLessThanOrEqual(TOLERANCE.wer);
    expect(Math.abs(got[kind].per - recorded[kind].per)).toBeLessThanOrEqual(TOLERANCE.per);
  }
}

describe('the shipped model', () => {
  let g2p: G2P;
  let words: WordList;

  beforeAll(async () => {
    await useBackend('wasm');
    g2p = await loadG2P({ dictionary: false });
    words = await testSubset();
  });
  afterAll(() => g2p?.dispose());

  it('is the model metrics.json was recorded for (SHA-256 and size of the weights)', async () => {
    const weights = await readFile(join(root, 'model/weights.safetensors'));
    expect(await sha256Hex(weights)).toBe(metrics.weights.sha256);
    expect(weights.byteLength).toBe(metrics.weights.bytes);
    expect(g2p.info.model.dtype).toBe(metrics.weights.dtype);
  });

  it(`reproduces the recorded WER/PER on the fixed ${SUBSET_SIZE}-word test subset, greedy`, () => {
    expect(words).toHaveLength(metrics.subset.words);
    expectClose(evaluate(g2p, words, { decode: 'greedy' }), metrics.subset.greedy);
  });

  it(`reproduces them with beam search (width ${metrics.subset.beamWidth})`, () => {
    expect(g2p.info.model.lengthPenalty).toBe(metrics.subset.lengthPenalty);
    expectClose(
      evaluate(g2p, words, { decode: 'beam', beamWidth: metrics.subset.beamWidth }),
      metrics.subset.beam,
    );
  });

  it('fits the 4 MB budget: model files, sources and README (dist is of the same order as src)', async () => {
    let bytes = 0;
    const walk = async (dir: string) => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path);
        else bytes += (await stat(path)).size;
      }
    };
    for (const dir of ['model', 'src']) await walk(join(root, dir));
    bytes += (await stat(join(root, 'README.md')).catch(() => ({ size: 0 }))).size;
    // src counted twice for dist's ESM + CJS builds.
    let src = 0;
    for (const f of await readdir(join(root, 'src')))
      src += (await stat(join(root, 'src', f))).size;
    expect(bytes + 2 * src).toBeLessThan(4 * 1024 * 1024);
  });
});
