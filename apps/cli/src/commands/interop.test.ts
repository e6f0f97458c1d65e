import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { charTokenizer, Vocab } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import {
  createRegistry,
  exportWeights,
  loadModel,
  safetensorsToTensors,
  tensorsToSafetensors,
} from '@seqzoo/registry';
import { zooPlugin } from '@seqzoo/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors';
import { seqzoo } from '../testing';
import { parseRenames } from './interop';

const registry = createRegistry({ plugins: [zooPlugin] });
const config = { embeddingSize: 6, hiddenSize: 8, numLayers: 2 };

describe('seqzoo import --rename', () => {
  let root: string;
  let file: string;
  let vocabularies: string;
  let original: Map<string, Float32Array>;

  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-cli-rename-'));
    // A char LM as a PyTorch user names it (embedding → rnn → head): zoo:char-lm's weights under
    // PyTorch names, its output layer 'decoder' renamed 'head'.
    const text = {
      tokenizer: charTokenizer().toJSON(),
      vocab: Vocab.fromTokens([...'\nabcdefgh ']).toJSON(),
    };
    vocabularies = join(root, 'vocabularies.json');
    await writeFile(vocabularies, JSON.stringify({ text }));
    const model = (await registry.create('zoo:char-lm', config, {
      vocabularies: { text },
      backend: 'cpu',
    })) as unknown as Module;
    original = new Map(
      [...model.stateDict()].map(([k, t]) => [k, t.dataSync() as Float32Array] as const),
    );
    const { tensors } = safetensorsToTensors(await exportWeights(model));
    const renamed = new Map(
      [...tensors].map(([k, t]) => [k.replace(/^decoder\./, 'head.'), t] as const),
    );
    expect([...renamed.keys()]).toContain('head.weight');
    file = join(root, 'char-lm.safetensors');
    await writeFile(file, await tensorsToSafetensors(renamed));
    tf.dispose([...tensors.values()]);
    model.dispose();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const args = (out: string, ...more: string[]) => [
    'import',
    file,
    '--from',
    'pytorch',
    '--model',
    'zoo:char-lm',
    ...Object.entries(config).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
    '--vocabularies',
    vocabularies,
    '--out',
    out,
    '--backend',
    'cpu',
    ...more,
  ];

  it("without --rename: the error lists 'decoder.weight' and 'decoder.bias' once each, the file's unused 'head.*', and the --rename to give; nothing is saved", async () => {
    const out = join(root, 'refused');
    const r = await seqzoo(...args(out));
    expect(r.code).toBe(1);
    const first = r.stderr.split('\n')[0];
    expect(first).toMatch(/^ModelFileError: /);
    expect(first).toMatch(
      /missing from the file: 'decoder\.weight' \[\d+,8\], 'decoder\.bias' \[\d+\]/,
    );
    expect(first).toMatch(/not taken by the model: 'head\.bias' \[\d+\], 'head\.weight' \[\d+,8\]/);
    for (const name of ['decoder.weight', 'decoder.bias', 'head.weight', 'head.bias'])
      expect(first.split(`'${name}'`).length - 1, name).toBe(1);
    expect(first).toContain("--rename 'head.=decoder.'");
    await expect(readFile(join(out, 'model.json'))).rejects.toThrow();
  });

  it("with --rename 'head.=decoder.': imported, and the saved model holds exactly the original weights", async () => {
    const out = join(root, 'imported');
    const r = await seqzoo(...args(out, '--rename', 'head.=decoder.'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^imported zoo:char-lm from .*char-lm\.safetensors; saved to /m);
    const { model } = await loadModel(registry, out, { backend: 'cpu' });
    const state = (model as unknown as Module).stateDict();
    expect([...state.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [k, t] of state) expect(t.dataSync(), k).toEqual(original.get(k));
    (model as unknown as Module).dispose();
  });

  it('--rename values: old=new split at the first =, new may be empty, no = is refused', () => {
    expect(parseRenames(['head.=decoder.', 'module.=', 'a=b=c'])).toEqual([
      ['head.', 'decoder.'],
      ['module.', ''],
      ['a', 'b=c'],
    ]);
    expect(() => parseRenames(['head.'])).toThrow(CliError);
    expect(() => parseRenames(['head.'])).toThrow(/--rename head\.: give old=new/);
  });
});
