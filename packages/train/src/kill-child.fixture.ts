// A training run for the SIGKILL test (kill-resume.test.ts): trains the example MLP with
// checkpoints every 2 steps, resuming from the newest; logs each step's loss to <dir>/log.jsonl and
// the result to <dir>/result.json. Usage: node --conditions=@seqzoo/source --import tsx
// kill-child.fixture.ts <dir> [stepDelayMs]
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { adam, cosineAnnealing } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';
import { fit } from './fit';
import { makeModel, tensorsOf, trainData } from './fixtures.test-util';

const [dir, delay = '0'] = process.argv.slice(2);
await useBackend('cpu');
const model = makeModel(0);
const optimizer = adam(model.namedParameters(), { lr: 0.05 });
const schedule = cosineAnnealing(optimizer, { tMax: 40, etaMin: 0.001 });
const result = await fit(model, trainData(), {
  optimizer,
  schedule,
  loss: (m, b) => tf.tidy(() => (m as ReturnType<typeof makeModel>).loss(tensorsOf(b))),
  epochs: 5,
  clipGradNorm: 1,
  checkpoint: { dir: join(dir, 'ckpt'), everySteps: 2, keep: 2 },
  resume: true,
  callbacks: {
    onBatchEnd: async (e) => {
      appendFileSync(
        join(dir, 'log.jsonl'),
        `${JSON.stringify({ pid: process.pid, step: e.step, loss: e.loss })}\n`,
      );
      if (Number(delay) > 0) await new Promise((r) => setTimeout(r, Number(delay)));
    },
  },
});
writeFileSync(join(dir, 'result.json'), JSON.stringify(result));
