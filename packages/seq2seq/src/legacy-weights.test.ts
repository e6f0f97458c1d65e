import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { Vocab } from '@seqzoo/data';
import {
  createRegistry,
  defineModel,
  definePlugin,
  loadModel,
  ModelFileError,
  saveModel,
  sha256Hex,
  tensorsToSafetensors,
} from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isLegacyWeights,
  legacyWeightName,
  migrateLegacyWeights,
  seq2seqLegacyWeights,
} from './legacy-weights';
import { disposeTensors } from './model';
import { attentionModel, type Seq2SeqModel } from './plugin';
import { loadGoldens, maxError } from './test-utils';

const dir = mkdtempSync(join(tmpdir(), 'seq2seq-legacy-'));
beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pre-0.2 weight names', () => {
  it('are recognised and renamed to the module tree of today', () => {
    expect(legacyWeightName('encoder.l0.l0.weightIh')).toBe('encoder.rnn.l0.weightIh');
    expect(legacyWeightName('encoder.l1Reverse.l0.biasHh')).toBe('encoder.rnn.l1Reverse.biasHh');
    expect(legacyWeightName('decoder.l1.weightHh')).toBe('decoder.rnn.l1.weightHh');
    expect(legacyWeightName('decoder.attention.query.weight')).toBe('attention.query.weight');
    expect(legacyWeightName('decoder.output.bias')).toBe('decoder.out.bias');
    expect(legacyWeightName('decoder.combine.weight')).toBe('decoder.combine.weight');
    expect(legacyWeightName('bridge.c.bias')).toBe('bridge.c.bias');
    expect(isLegacyWeights(['encoder.embedding.weight', 'decoder.output.weight'])).toBe(true);
    expect(isLegacyWeights(['encoder.rnn.l0.weightIh', 'decoder.out.weight'])).toBe(false);
    expect(seq2seqLegacyWeights(['decoder.out.weight'], { config: { padId: 0 } })).toBeNull();
  });

  it("migration zeroes the embeddings' padding row (the old forward masked it) and copies the rest", async () => {
    const old = new Map<string, tf.Tensor>([
      ['encoder.embedding.weight', tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2])],
      ['decoder.output.bias', tf.tensor1d([7, 8])],
    ]);
    const before = tf.memory().numTensors;
    const state = migrateLegacyWeights(old, 1);
    expect([...state.keys()]).toEqual(['encoder.embedding.weight', 'decoder.out.bias']);
    expect(await state.get('encoder.embedding.weight')!.array()).toEqual([
      [1, 2],
      [0, 0],
      [5, 6],
    ]);
    expect(await old.get('encoder.embedding.weight')!.array()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    tf.dispose([...state.values()]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...old.values()]);
  });
});

describe('loading a model.json saved before 0.2 through the registry', () => {
  // The seq2seq definition with the hook (plugin.ts wires `legacyWeights` in the shipped plugin).
  const definition = defineModel({
    ...attentionModel,
    legacyWeights: attentionModel.legacyWeights ?? seq2seqLegacyWeights,
  });
  const registry = createRegistry({
    plugins: [definePlugin({ namespace: 'seq2seq', models: { attention: definition } })],
  });
  // The torch goldens' tiny model: its weights are a committed fixture under the old names.
  const golden = loadGoldens().model[0];
  const vocabularies = {
    source: Vocab.fromTokens('abcde').toJSON(), // 4 specials + 5 = 9 ids
    target: Vocab.fromTokens('xyz').toJSON(), // 7 ids
  };
  const { cell, attention, embeddingSize, hiddenSize, bidirectional, numLayers, dropout } =
    golden.config;
  const config = { cell, attention, embeddingSize, hiddenSize, bidirectional, numLayers, dropout };

  /** Saves a model, then replaces its weights by `weights` as an old version wrote them. */
  async function saveOld(name: string, weights: Record<string, number[]>): Promise<string> {
    const model = await registry.create('seq2seq:attention', config, {
      backend: 'cpu',
      vocabularies,
    });
    const folder = join(dir, name);
    await saveModel(registry, model, folder);
    model.dispose();
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    const tensors = new Map(Object.entries(weights).map(([k, v]) => [k, tf.tensor(v)] as const));
    const bytes = await tensorsToSafetensors(tensors, { format: 'seqzoo' });
    tf.dispose([...tensors.values()]);
    writeFileSync(join(folder, json.weights.file), bytes);
    json.weights = {
      ...json.weights,
      naming: 'seqzoo',
      bytes: bytes.byteLength,
      sha256: await sha256Hex(bytes),
    };
    writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
    return folder;
  }

  it('loads with the names migrated and computes what torch computed', async () => {
    expect(isLegacyWeights(Object.keys(golden.params))).toBe(true);
    const folder = await saveOld('old', golden.params);
    const before = tf.memory().numTensors;
    const { model } = await loadModel<Seq2SeqModel>(registry, folder, { backend: 'cpu' });
    expect([...model.stateDict().keys()]).toContain('encoder.rnn.l0Reverse.weightIh');
    const batch = model.tensors(golden.sources, golden.targets);
    const logits = model.logits(batch);
    expect(await maxError(logits, golden.logits)).toBeLessThan(1e-5);
    tf.dispose(logits);
    disposeTensors(batch);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('other unknown names still fail as a weights mismatch naming the tensor', async () => {
    const renamed = Object.fromEntries(
      Object.entries(golden.params as Record<string, number[]>).map(([k, v]) => [
        k.replace('decoder.combine.', 'decoder.mix.'),
        v,
      ]),
    );
    const folder = await saveOld('odd', renamed);
    const error = await loadModel(registry, folder, { backend: 'cpu' }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.code).toBe('WEIGHTS_MISMATCH');
    expect(error.message).toMatch(/decoder\.combine\.weight/);
  });

  it("with PyTorch naming (pytorch: true) a model saves under the twin's names and loads back", async () => {
    const torchRegistry = createRegistry({
      plugins: [
        definePlugin({
          namespace: 'seq2seq',
          models: { attention: defineModel({ ...definition, pytorch: true }) },
        }),
      ],
    });
    const model = await torchRegistry.create<Seq2SeqModel>('seq2seq:attention', config, {
      backend: 'cpu',
      vocabularies,
    });
    const folder = join(dir, 'torch-names');
    await saveModel(torchRegistry, model, folder);
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    expect(json.weights.naming).toBe('pytorch');
    const { model: loaded } = await loadModel<Seq2SeqModel>(torchRegistry, folder, {
      backend: 'cpu',
    });
    const batch = model.tensors(golden.sources, golden.targets);
    const a = model.logits(batch);
    const b = loaded.logits(batch);
    expect(await maxError(b, await a.array())).toBe(0);
    tf.dispose([a, b]);
    disposeTensors(batch);
    model.dispose();
    loaded.dispose();
  });
});
