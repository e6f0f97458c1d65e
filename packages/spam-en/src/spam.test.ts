import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { ModelFileError } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpamInputError, SpamModelError } from './errors';
import { loadSpamFilter, type SpamFilter } from './spam';

const shipped = join(dirname(fileURLToPath(import.meta.url)), '../model');
const SPAM = [
  'Congratulations! You have been selected to receive a FREE vacation. Click here to claim your prize now. Limited time offer, act now!',
  'Make money fast working from home. Earn $5000 per week guaranteed. No experience needed. Reply now to get started. Remove me from this list',
];
const HAM = [
  'Hi Tom, I pushed the fix for the build failure to the repository. Could you review the patch before the meeting tomorrow? Thanks, Anna',
  'The exmh mailing list: I upgraded to the new version and the sequences window no longer updates after I refile a message. Has anyone seen this?',
];

describe('@seqzoo/spam-en', () => {
  let filter: SpamFilter;
  let dir: string;

  beforeAll(async () => {
    await useBackend('cpu');
    filter = await loadSpamFilter();
    dir = await mkdtemp(join(tmpdir(), 'seqzoo-spam-'));
  });
  afterAll(async () => {
    filter?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('calls obvious spam spam and ordinary mail ham, with a probability', () => {
    for (const text of SPAM) {
      const r = filter.classify(text);
      expect(r.label, text).toBe('spam');
      expect(r.spamProbability).toBeGreaterThan(0.5);
    }
    for (const text of HAM) {
      const r = filter.classify(text);
      expect(r.label, text).toBe('ham');
      expect(r.spamProbability).toBeLessThan(0.5);
    }
  });

  it('an array is classified as each message alone; a raw email as its body', () => {
    const all = filter.classify([...SPAM, ...HAM]);
    expect(all).toEqual([...SPAM, ...HAM].map((t) => filter.classify(t)));
    const raw = `From spammer@example.com  Mon Jan 1 2024\nSubject: Hello\nTo: you@example.com\n\n${SPAM[0]}`;
    expect(filter.classify(raw)).toEqual(filter.classify(SPAM[0]));
  });

  it('the threshold moves the verdict, not the probability', () => {
    const r = filter.classify(HAM[0]);
    expect(filter.classify(HAM[0], { threshold: 0 })).toEqual({ ...r, label: 'spam' });
    const s = filter.classify(SPAM[0]);
    expect(filter.classify(SPAM[0], { threshold: 1 }).label).toBe(
      s.spamProbability >= 1 ? 'spam' : 'ham',
    );
  });

  it('bad input gets a SpamInputError that says what to give', () => {
    expect(() => filter.classify(42 as unknown as string)).toThrow(SpamInputError);
    expect(() => filter.classify(['ok', null as unknown as string])).toThrow(/message 1 is null/);
    expect(() => filter.classify('x', { threshold: 2 })).toThrow(/threshold must be .* \[0, 1\]/);
    // Empty text is a message too (nothing to go on: the model's prior).
    expect(filter.classify('').label).toMatch(/^(spam|ham)$/);
  });

  it('tf.memory().numTensors stays flat over many classifications', () => {
    filter.classify(SPAM);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) filter.classify([...SPAM, ...HAM, 'x'.repeat(i)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a model packed by a newer @seqzoo/spam-en, or a newer model.json format, is refused with a typed error', async () => {
    const json = JSON.parse(await readFile(join(shipped, 'model.json'), 'utf8'));
    const newer = join(dir, 'newer');
    await cp(shipped, newer, { recursive: true });
    await writeFile(
      join(newer, 'model.json'),
      JSON.stringify({ ...json, training: { ...json.training, package: { format: 99 } } }),
    );
    const e1 = await loadSpamFilter({ model: newer }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(SpamModelError);
    expect((e1 as SpamModelError).code).toBe('NEWER_FORMAT');
    expect((e1 as Error).message).toMatch(/Upgrade @seqzoo\/spam-en/);

    const future = join(dir, 'future');
    await cp(shipped, future, { recursive: true });
    await writeFile(join(future, 'model.json'), JSON.stringify({ ...json, formatVersion: 99 }));
    const e2 = await loadSpamFilter({ model: future }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ModelFileError);
    expect((e2 as ModelFileError).code).toBe('UNKNOWN_FORMAT_VERSION');
  });

  it('a folder without a model is NOT_A_SPAM_MODEL', async () => {
    const e = await loadSpamFilter({ model: join(dir, 'empty') }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SpamModelError);
    expect((e as SpamModelError).code).toBe('NOT_A_SPAM_MODEL');
  });
});
