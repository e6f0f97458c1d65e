import * as tf from '@tensorflow/tfjs-core';

/**
 * Weight names of @seqzoo/seq2seq before 0.2 → today's, by pattern:
 * `encoder.l0.l0.weightIh` → `encoder.rnn.l0.weightIh`, `encoder.l0Reverse.l0.*` →
 * `encoder.rnn.l0Reverse.*`, `decoder.l0.*` → `decoder.rnn.l0.*`, `decoder.attention.*` →
 * `attention.*`, `decoder.output.*` → `decoder.out.*`; the rest (embeddings, bridge, combine) kept.
 */
const RENAMES: readonly [RegExp, string][] = [
  [/^encoder\.l(\d+)(Reverse)?\.l0\./, 'encoder.rnn.l$1$2.'],
  [/^decoder\.l(\d+)\./, 'decoder.rnn.l$1.'],
  [/^decoder\.attention\./, 'attention.'],
  [/^decoder\.output\./, 'decoder.out.'],
];

/** Whether `names` (a weights file's tensor names, seqzoo naming) are those of a pre-0.2 model. */
export function isLegacyWeights(names: Iterable<string>): boolean {
  for (const name of names) {
    if (/^encoder\.l\d+(Reverse)?\.l0\./.test(name) || /^decoder\.(l\d+|output)\./.test(name)) {
      return true;
    }
  }
  return false;
}

/** Today's name of a pre-0.2 weight name (unchanged when it did not change). */
export function legacyWeightName(name: string): string {
  for (const [pattern, replacement] of RENAMES) {
    if (pattern.test(name)) return name.replace(pattern, replacement);
  }
  return name;
}

/**
 * A pre-0.2 state dict (seqzoo names, as `stateDict()` gave them and model.json files with
 * `naming: 'seqzoo'` hold them) under today's names, ready for `loadStateDict`. The old embedding
 * zeroed the padding id's vector in its forward pass and left the row's stored values alone;
 * today's `Embedding` reads the row (PyTorch's `padding_idx`), so the `padId` row of both
 * embeddings is set to zero here: the migrated model computes what the old one did. Returns new
 * tensors (the caller owns them and keeps ownership of `state`).
 */
export function migrateLegacyWeights(
  state: ReadonlyMap<string, tf.Tensor>,
  padId: number,
): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, value] of state) {
    const renamed = legacyWeightName(name);
    const embedding =
      renamed === 'encoder.embedding.weight' || renamed === 'decoder.embedding.weight';
    if (embedding && value.rank === 2 && padId >= 0 && padId < value.shape[0]) {
      out.set(
        renamed,
        tf.tidy(() => {
          const keep = new Float32Array(value.shape[0]).fill(1);
          keep[padId] = 0;
          return tf.mul(value, tf.tensor2d(keep, [value.shape[0], 1]));
        }),
      );
    } else {
      out.set(renamed, tf.clone(value));
    }
  }
  return out;
}

/**
 * The registry hook (`ModelDefinition.legacyWeights`) of `seq2seq:attention`: for the tensor
 * names of a model.json saved before 0.2, the upgrade of its weights (`migrateLegacyWeights` with
 * the model's padding id); null for any other names, which then fail as a weights mismatch.
 */
export function seq2seqLegacyWeights(
  names: readonly string[],
  model: { config: { padId: number } },
): ((state: Map<string, tf.Tensor>) => Map<string, tf.Tensor>) | null {
  if (!isLegacyWeights(names)) return null;
  return (state) => migrateLegacyWeights(state, model.config.padId);
}
