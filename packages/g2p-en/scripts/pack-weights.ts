// Packs a trained G2P model folder (`seqzoo train seq2seq:attention --dataset cmudict-stress --out DIR`) into this package:
// quantized weights + model.json in model/, and model/metrics.json with the checksum, the
// sizes and the metrics that shipped-model.test.ts reproduces in CI.
//
//   node --conditions=@seqzoo/source --import tsx packages/g2p-en/scripts/pack-weights.ts DIR \
//     [--dtype auto|int8|float16] [--alpha auto|α] [--backend wasm] \
//     [--command "the training command"] [--commit SHA] [--placeholder] [--out packages/g2p-en/model]
//
// 1. Loads DIR through the registry's loadModel (so its migrations of older folders apply).
// 2. Beam search's length penalty: auto picks the best of 0, 0.5, 1 on validation words.
// 3. dtype auto: int8 unless it costs more than 0.5 points of greedy WER (with stress) against
//    float32 on 1,000 validation words, then float16. Validation words only: the test split is
//    never looked at to choose anything.
// 4. Writes model/weights.safetensors, model/model.json (format, length penalty, training
//    command and commit under training.package), then model/metrics.json: the fixed 500-word
//    test subset's WER/PER greedy and beam, with and without stress.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '@seqzoo/backend';
import {
  createRegistry,
  loadModel,
  type QuantizeDtype,
  quantizeModel,
  saveModel,
  sha256Hex,
} from '@seqzoo/registry';
import { seq2seqPlugin } from '@seqzoo/seq2seq';
import {
  evaluate,
  rounded,
  SUBSET_SIZE,
  subsetMetrics,
  validationSelection,
} from '../src/evaluation';
import { G2P_FORMAT, loadG2P } from '../src/g2p';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dtype: { type: 'string', default: 'auto' },
    alpha: { type: 'string', default: 'auto' },
    backend: { type: 'string', default: 'wasm' },
    command: { type: 'string' },
    commit: { type: 'string' },
    // A stand-in model (the model card says so in a banner) until the real one is packed.
    placeholder: { type: 'boolean', default: false },
    out: { type: 'string', default: join(here, '../model') },
  },
});
if (positionals.length !== 1 || !['auto', 'int8', 'float16'].includes(args.dtype)) {
  console.error(
    'usage: pack-weights.ts MODEL_DIR [--dtype auto|int8|float16] [--alpha auto|α] [--command "…"] [--commit SHA] [--out DIR]',
  );
  process.exit(2);
}
const source = resolve(positionals[0]);
const out = resolve(args.out);
await useBackend(args.backend as 'wasm');

const sourceJson = JSON.parse(await readFile(join(source, 'model.json'), 'utf8'));
const validation = await validationSelection();
// Inside `out`, so that the final renames stay on one file system.
await mkdir(out, { recursive: true });
const work = await mkdtemp(join(out, '.pack-'));
// Removed however the script ends (an error included): nothing half-packed is left in model/.
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
// Loaded through the registry (older folders migrated) and saved again: the package ships the
// current format and weight names whatever version trained the model.
const registry = createRegistry({ plugins: [seq2seqPlugin] });
const resaved = join(work, 'float32');
{
  const loaded = await loadModel(registry, source);
  await saveModel(registry, loaded.model, resaved, { training: loaded.training });
  loaded.model.dispose();
}
const f32 = await loadG2P({ model: resaved, dictionary: false });
const t0 = performance.now();

// Length penalty on validation words (beam 5).
let alpha = Number(args.alpha);
const tried: Record<string, unknown> = {};
if (args.alpha === 'auto') {
  let best = { alpha: 0, wer: 2, per: 2 };
  for (const a of [0, 0.5, 1]) {
    const r = evaluate(f32, validation, { decode: 'beam', beamWidth: 5, lengthPenalty: a }).stress;
    tried[String(a)] = r;
    if (r.wer < best.wer || (r.wer === best.wer && r.per < best.per)) best = { alpha: a, ...r };
  }
  alpha = best.alpha;
}
const selectionWords = validation.slice(0, 1000);
const f32Greedy = evaluate(f32, selectionWords, { decode: 'greedy' });
f32.dispose();
console.error(`length penalty ${alpha} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);

// Quantize both ways into temp folders; measure each on validation words.
const candidates: Record<string, { wer: number; per: number; bytes: number }> = {};
for (const dtype of ['int8', 'float16'] as const) {
  const report = await quantizeModel(resaved, join(work, dtype), { dtype });
  const g = await loadG2P({ model: join(work, dtype), dictionary: false });
  const r = evaluate(g, selectionWords, { decode: 'greedy' }).stress;
  g.dispose();
  candidates[dtype] = {
    ...rounded({ words: 0, stress: r, noStress: r }).stress,
    bytes: report.bytesAfter,
  };
}
const dtype: QuantizeDtype =
  args.dtype === 'auto'
    ? candidates.int8.wer <= f32Greedy.stress.wer + 0.005
      ? 'int8'
      : 'float16'
    : (args.dtype as QuantizeDtype);
console.error(
  `validation greedy WER (${selectionWords.length} words): float32 ${f32Greedy.stress.wer}, int8 ${candidates.int8.wer}, float16 ${candidates.float16.wer} → ${dtype}`,
);

// model.json with the package's record; files renamed into place, model.json last.
const chosen = join(work, dtype);
const json = JSON.parse(await readFile(join(chosen, 'model.json'), 'utf8'));
const weights = await readFile(join(chosen, 'weights.safetensors'));
json.training = {
  ...json.training,
  package: {
    format: G2P_FORMAT,
    lengthPenalty: alpha,
    dtype,
    source: {
      sha256: sourceJson.weights.sha256,
      bytes: sourceJson.weights.bytes,
    },
    command: args.command ?? null,
    commit: args.commit ?? null,
    placeholder: args.placeholder,
  },
};
await writeFile(join(chosen, 'model.json'), `${JSON.stringify(json, null, 2)}\n`);
await rename(join(chosen, 'weights.safetensors'), join(out, 'weights.safetensors'));
await rename(join(chosen, 'model.json'), join(out, 'model.json'));

// Metrics of the packed model, read back from `out` as users will load it.
const packed = await loadG2P({ model: out, dictionary: false });
const subset = await subsetMetrics(packed);
packed.dispose();
const metrics = {
  note: 'written by scripts/pack-weights.ts; test, bench and examples by evaluate.ts, bench.ts and examples.ts --write; the README card from this file by card.ts',
  weights: { sha256: await sha256Hex(weights), bytes: weights.byteLength, dtype },
  lengthPenalty: alpha,
  validation: {
    words: selectionWords.length,
    lengthPenaltyTried: tried,
    greedy: { float32: rounded(f32Greedy), ...candidates },
  },
  subset,
  test: null,
  bench: null,
  examples: null,
};
const tmp = join(out, `.metrics.json.${process.pid}`);
await writeFile(tmp, `${JSON.stringify(metrics, null, 2)}\n`);
await rename(tmp, join(out, 'metrics.json'));
await rm(work, { recursive: true, force: true });
console.log(
  JSON.stringify({ out, dtype, lengthPenalty: alpha, subset: SUBSET_SIZE, metrics }, null, 2),
);
