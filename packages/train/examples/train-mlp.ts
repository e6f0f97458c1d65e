// Trains the example MLP on a toy 3-class problem with checkpoints; run it twice to see the
// second run resume and finish at once. Run from the repository root:
//   node --conditions=@seqzoo/source --import tsx packages/train/examples/train-mlp.ts /tmp/mlp-run
import { useBackend } from '@seqzoo/backend';
import { Dataset } from '@seqzoo/data';
import { adam, cosineAnnealing } from '@seqzoo/optimizers';
import { ExampleMlp, mlpConfigSchema } from '@seqzoo/registry';
import { accuracy, fit } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';

await useBackend('cpu');
const dir = process.argv[2] ?? '/tmp/mlp-run';

// 256 points; the label is the argmax of a fixed projection of the 4 features.
const rows = Array.from({ length: 256 }, (_, i) => {
  const x = [0, 1, 2, 3].map((k) => Math.sin(1.7 * i + 2.3 * k * k + k));
  const s = [x[0] + x[1] - x[3], x[2] - x[0], x[3] - x[1] + 0.5 * x[2]];
  return { x, y: s.indexOf(Math.max(...s)) };
});
type Batch = { x: number[][]; y: number[] };
const batches = (items: typeof rows) =>
  Dataset.from(items)
    .batch(16)
    .map((b): Batch => ({ x: b.map((r) => r.x), y: b.map((r) => r.y) }));
const train = Dataset.from(rows.slice(0, 224))
  .shuffle(224, 42)
  .batch(16)
  .map((b): Batch => ({ x: b.map((r) => r.x), y: b.map((r) => r.y) }));
const validation = batches(rows.slice(224));

const model = new ExampleMlp(
  mlpConfigSchema.parse({ inputSize: 4, hiddenSizes: [32], outputSize: 3 }),
);
const optimizer = adam(model.namedParameters(), { lr: 0.03 });
const tensors = (b: Batch) => ({ x: tf.tensor2d(b.x), y: tf.tensor1d(b.y, 'int32') });

const result = await fit(model, train, {
  optimizer,
  schedule: cosineAnnealing(optimizer, { tMax: 14 * 20 }),
  loss: (m, b) => tf.tidy(() => (m as ExampleMlp).loss(tensors(b))),
  epochs: 20,
  clipGradNorm: 1,
  validation: {
    data: validation,
    metrics: (m, b) => {
      const { x, y } = tensors(b);
      const logits = (m as ExampleMlp).forward(x);
      const hits = accuracy(logits, y);
      tf.dispose([x, y, logits]);
      return { accuracy: hits };
    },
  },
  earlyStopping: { monitor: 'loss', patience: 5 },
  checkpoint: { dir, everySteps: 50, keep: 2 },
  resume: true,
  tokensOf: (b) => b.x.length,
  callbacks: {
    onEpochEnd: (e) =>
      console.log(
        `epoch ${e.epoch}  loss ${e.loss.toFixed(4)}  val ${e.validation?.loss.toFixed(4)}  acc ${e.validation?.accuracy.toFixed(3)}`,
      ),
    onProgress: (p) => {
      if (p.step % 70 === 0)
        console.log(
          `step ${p.step}/${p.totalSteps}  ${p.tokensPerSecond?.toFixed(0)} rows/s  ETA ${((p.etaMs ?? 0) / 1000).toFixed(1)} s`,
        );
    },
  },
});
console.log(
  `${result.stopReason} after ${result.steps} steps; last checkpoint ${result.lastCheckpoint}`,
);
