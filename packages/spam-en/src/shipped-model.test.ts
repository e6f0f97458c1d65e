// The shipped model reproduces what model/metrics.json says: the weights' checksum, and the
// verdicts on the fixed test subset (the first 400 test messages of scripts/corpus.ts).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { sha256Hex } from '@seqzoo/registry';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, SUBSET_SIZE } from '../scripts/corpus';
import { spamMetrics } from './metrics';
import { loadSpamFilter } from './spam';

const model = join(dirname(fileURLToPath(import.meta.url)), '../model');

describe('the shipped model', () => {
  let metrics: {
    subset: { size: number; metrics: ReturnType<typeof spamMetrics> };
    files: { weightsSha256: string };
    training: { commit: string; command: string };
  };
  beforeAll(async () => {
    metrics = JSON.parse(await readFile(join(model, 'metrics.json'), 'utf8'));
  });

  it('is the model metrics.json describes (checksum, command, commit)', async () => {
    const weights = await readFile(join(model, 'weights.safetensors'));
    expect(await sha256Hex(weights)).toBe(metrics.files.weightsSha256);
    expect(metrics.training.command).toMatch(/scripts\/train\.ts/);
    expect(metrics.training.commit).toMatch(/^[0-9a-f]{40}/);
  });

  it(`scores the fixed ${SUBSET_SIZE}-message test subset as when it was trained`, async () => {
    await useBackend('cpu');
    const filter = await loadSpamFilter();
    const subset = loadCorpus().test.slice(0, SUBSET_SIZE);
    expect(metrics.subset.size).toBe(SUBSET_SIZE);
    // The raw emails, as a user would give them: classify drops the headers as training did.
    const verdicts = filter.classify(subset.map((e) => e.raw)).map((r) => r.label);
    const m = spamMetrics(
      subset.map((e) => e.label),
      verdicts,
    );
    filter.dispose();
    expect(m).toEqual(metrics.subset.metrics);
    expect(m.accuracy).toBeGreaterThan(0.95);
  });
});
