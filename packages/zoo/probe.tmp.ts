import '@tensorflow/tfjs-layers';
import { useBackend } from '@seqzoo/backend';
import { RecurrentLM } from '@seqzoo/zoo';

await useBackend('wasm');
const names = ['anna', 'hannah', 'ann', 'nan', 'hana', 'anah', 'noah', 'jonah', 'joan'];
const lm = new RecurrentLM({ embeddingSize: 32, hiddenSize: 128, bptt: 32 });
lm.fit(names, { epochs: 3, batchSize: 4 });
console.log(lm.evaluate(names));
for (let i = 0; i < 5; i++) console.log(lm.generate({ seed: i, temperature: 0.8, maxLength: 20 }));
