// Char-level LSTM vs the best Markov model on the stdlib first-names dataset.
//   node --conditions=@seqzoo/source --import tsx packages/zoo/examples/names-lm.ts [--backend wasm|cpu] [--epochs 30] [--hidden 128] [--batch 16] [--dropout 0]
import { loadavg } from 'node:os';
import { useBackend } from '@seqzoo/backend';
import { names, Rng } from '@seqzoo/data';
import { createRegistry, loadModel, saveModel } from '@seqzoo/registry';
import { MarkovModel, type RecurrentLM, zooPlugin } from '@seqzoo/zoo';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as 'cpu' | 'wasm';
const epochs = Number(arg('epochs', '30'));
const hiddenSize = Number(arg('hidden', '128'));
const batchSize = Number(arg('batch', '16'));
const dropout = Number(arg('dropout', '0'));
await useBackend(backend);

// Distinct lower-cased names, shuffled with a fixed seed, 90 % train / 10 % validation.
const all = [...new Set((await (await names()).toArray()).map((e) => e.name.toLowerCase()))];
const shuffled = new Rng(42).shuffle([...all]);
const cut = Math.floor(shuffled.length * 0.9);
const train = shuffled.slice(0, cut);
const valid = shuffled.slice(cut);
console.log(`names: ${all.length} distinct, ${train.length} train, ${valid.length} validation`);

// Markov: every order and smoothing on a small grid; the best by validation perplexity.
const markov: { config: string; perplexity: number }[] = [];
for (let order = 1; order <= 6; order++) {
  for (const discount of [0.5, 0.75, 0.9]) {
    const m = MarkovModel.fit(train, { order, smoothing: 'kneser-ney', discount });
    markov.push({
      config: `KN order ${order} D=${discount}`,
      perplexity: m.perplexity(valid).perplexity,
    });
  }
  for (const addK of [0.01, 0.1, 1]) {
    const m = MarkovModel.fit(train, { order, smoothing: 'add-k', addK });
    markov.push({
      config: `add-k order ${order} k=${addK}`,
      perplexity: m.perplexity(valid).perplexity,
    });
  }
}
markov.sort((a, b) => a.perplexity - b.perplexity);
console.log('markov, best five:', markov.slice(0, 5));
const bestAddK = markov.find((m) => m.config.startsWith('add-k'));
console.log('best add-k:', bestAddK);

// Char-level LSTM; Adam at 3e-3, the last third of the epochs at 1e-3.
const registry = createRegistry({ plugins: [zooPlugin] });
const lm = await registry.create<RecurrentLM>(
  'zoo:char-lm',
  { embeddingSize: 32, hiddenSize, dropout, cell: 'lstm', bptt: 32, seed: 1 },
  { backend },
);
const start = performance.now();
let best = { epoch: -1, stream: Number.POSITIVE_INFINITY };
for (let epoch = 0; epoch < epochs; epoch++) {
  const lr = epoch < Math.round((epochs * 2) / 3) ? 3e-3 : 1e-3;
  const h = await lm.fit(train, { epochs: 1, batchSize, lr, seed: epoch });
  const v = lm.evaluate(valid);
  const s = lm.evaluate(valid, { mode: 'stream' });
  if (s.perplexity < best.stream) best = { epoch, stream: s.perplexity };
  console.log(
    `epoch ${epoch + 1}: train loss ${h.loss[0].toFixed(3)}, validation perplexity ${v.perplexity.toFixed(3)} independent, ${s.perplexity.toFixed(3)} stream (${s.bitsPerToken.toFixed(3)} bits/char), ${((performance.now() - start) / 1000).toFixed(0)} s`,
  );
}
const final = lm.evaluate(valid);
const finalStream = lm.evaluate(valid, { mode: 'stream' });
console.log(
  `char-lm LSTM final validation perplexity ${final.perplexity.toFixed(3)} independent, ${finalStream.perplexity.toFixed(3)} stream (${finalStream.bitsPerToken.toFixed(3)} bits/char); best stream ${best.stream.toFixed(3)} at epoch ${best.epoch + 1}`,
);

// Save, load on the cpu backend, and generate there (the loaded copy scores the same).
const dir = arg('save', `/tmp/zoo-names-lm-h${hiddenSize}-d${dropout}`);
await saveModel(registry, lm, dir);
const loaded = (await loadModel<RecurrentLM>(registry, dir, { backend: 'cpu' })).model;
console.log(
  `saved to ${dir}; loaded on cpu: validation perplexity ${loaded.evaluate(valid).perplexity.toFixed(3)}`,
);
const seen = new Set(train);
const everything = new Set(all);
const generated = Array.from({ length: 20 }, (_, i) =>
  loaded.generate({ seed: 1000 + i, temperature: 0.8, maxLength: 20 }),
);
const novel = generated.filter((n) => !seen.has(n));
console.log('20 names (temperature 0.8):', generated.join(', '));
console.log(
  `${novel.length}/20 not in the training set, ${generated.filter((n) => !everything.has(n)).length}/20 not in the whole dataset`,
);
console.log(
  JSON.stringify({
    backend,
    epochs,
    markovBest: markov[0],
    charLm: {
      independent: final.perplexity,
      stream: finalStream.perplexity,
      bitsPerChar: finalStream.bitsPerToken,
      best,
      hiddenSize,
      batchSize,
      dropout,
    },
    trainSeconds: (performance.now() - start) / 1000,
    loadavg: loadavg(),
  }),
);
