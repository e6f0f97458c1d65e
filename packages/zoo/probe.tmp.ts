import '@tensorflow/tfjs-layers';
import { names } from '@seqzoo/data';
import { createRegistry, loadModel } from '@seqzoo/registry';
import { type RecurrentLM, zooPlugin } from '@seqzoo/zoo';

const registry = createRegistry({ plugins: [zooPlugin] });
const lm = (
  await loadModel<RecurrentLM>(registry, '/tmp/zoo-names-lm-h128-d0.2', { backend: 'wasm' })
).model;
const valid = (await (await names()).toArray()).slice(0, 800).map((e) => e.name.toLowerCase());
console.log(lm.evaluate(valid).perplexity, lm.evaluate(valid, { mode: 'stream' }).perplexity);
const out = Array.from({ length: 20 }, (_, i) =>
  lm.generate({ seed: 1000 + i, temperature: 0.8, maxLength: 20 }),
);
console.log(out.join(', '));
