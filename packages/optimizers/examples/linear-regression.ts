// Fits y = Xw + b with AdamW, a warm-up + cosine schedule and global-norm clipping, then saves and
// restores the optimizer's state. Run from the repository root:
//   npx tsx --conditions=@seqzoo/source packages/optimizers/examples/linear-regression.ts
import '@tensorflow/tfjs-backend-cpu';
import { adamw, clipGradNorm, cosineAnnealing, linearWarmup, sequential } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');

// Parameters by dotted name: what Module.namedParameters() returns in @seqzoo/layers.
const params = new Map([
  ['fc.weight', tf.variable(tf.zeros([4, 1]))],
  ['fc.bias', tf.variable(tf.zeros([1]))],
]);
const x = tf.randomNormal([64, 4], 0, 1, 'float32', 1);
const y = tf.add(tf.matMul(x, tf.tensor2d([[1], [-2], [3], [0.5]])), 0.7);

// AdamW with no weight decay on biases; 20 steps of linear warm-up, then cosine decay to 0.
const options = { lr: 0.1, weightDecay: 0.01, groups: [{ params: '*.bias', weightDecay: 0 }] };
const opt = adamw(params, options);
const sched = sequential(
  opt,
  [linearWarmup(opt, { startFactor: 0.1, totalIters: 20 }), cosineAnnealing(opt, { tMax: 280 })],
  { milestones: [20] },
);

// Mean squared error and its gradients (by hand here; with @seqzoo/layers use valueAndGrads).
function lossAndGrads(): { loss: number; grads: Map<string, tf.Tensor> } {
  return tf.tidy(() => {
    const w = params.get('fc.weight') as tf.Variable;
    const b = params.get('fc.bias') as tf.Variable;
    const err = tf.sub(tf.add(tf.matMul(x, w), b), y);
    const n = x.shape[0];
    const loss = tf.mean(tf.square(err)).dataSync()[0];
    const grads = new Map([
      ['fc.weight', tf.keep(tf.mul(tf.matMul(x, err, true, false), 2 / n))],
      ['fc.bias', tf.keep(tf.mul(tf.sum(err, 0), 2 / n))],
    ]);
    return { loss, grads } as never;
  });
}

for (let step = 1; step <= 300; step++) {
  const { loss, grads } = lossAndGrads();
  const clipped = clipGradNorm(grads, 5.0);
  if (clipped.finite) opt.step(clipped.grads); // a NaN/Inf step is reported, and skipped here
  sched.step();
  if (step % 60 === 0) {
    const lr = opt.lr.toExponential(2);
    console.log(
      `step ${step}  loss ${loss.toFixed(5)}  |g| ${clipped.totalNorm.toFixed(3)}  lr ${lr}`,
    );
  }
  tf.dispose([...grads.values(), ...clipped.grads.values()]);
}
console.log(
  'w',
  Array.from(params.get('fc.weight')?.dataSync() ?? []).map((v) => v.toFixed(2)),
);

// A checkpoint: JSON metadata plus tensors named state.<param>.<buffer> (safetensors-ready).
const { meta, tensors } = opt.stateDict();
console.log([...tensors.keys()], 'steps:', meta.state['fc.weight'].step);
// Resume as in torch: build the optimizer and its schedule, then load both states.
const resumed = adamw(params, options);
const resumedSched = sequential(
  resumed,
  [
    linearWarmup(resumed, { startFactor: 0.1, totalIters: 20 }),
    cosineAnnealing(resumed, { tMax: 280 }),
  ],
  { milestones: [20] },
);
resumed.loadStateDict({ meta: JSON.parse(JSON.stringify(meta)), tensors });
resumedSched.loadStateDict(JSON.parse(JSON.stringify(sched.stateDict())));
console.log('resumed at lr', resumed.lr, 'epoch', resumedSched.lastEpoch);
tf.dispose([...tensors.values()]);
opt.dispose();
resumed.dispose();
