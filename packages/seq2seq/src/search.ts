import * as tf from '@tensorflow/tfjs-core';
import { type AttentionMemory, tileMemory } from './attention';
import { type DecoderState, mapState, stateTensors } from './decoder';
import { numberIn, positiveInt, Seq2SeqConfigError } from './errors';
import type { Seq2Seq } from './model';

/** Options of greedy and beam-search decoding: the output length limit. */
export interface DecodeOptions {
  /** Max output tokens = floor(maxLengthRatio · source length + maxLengthOffset); default 2. */
  maxLengthRatio?: number;
  /** Default 10. */
  maxLengthOffset?: number;
}

/** Options of `beamSearch`. */
export interface BeamOptions extends DecodeOptions {
  /** Beams per input, k (default 5). */
  beamWidth?: number;
  /** GNMT length penalty α: hypotheses are ranked by logP / ((5 + |Y|) / 6)^α (default 0). */
  lengthPenalty?: number;
  /** Hypotheses returned per input, best first (default 1, at most beamWidth). */
  nBest?: number;
}

/** One output sequence. */
export interface Hypothesis {
  /** Output ids, without `<bos>` and `<eos>`. */
  tokens: number[];
  /** Sum of the log-probabilities of the tokens, `<eos>` included when `ended`. */
  logProb: number;
  /** The ranking score: `logProb` divided by the length penalty (= logProb when α = 0). */
  score: number;
  /** Whether the hypothesis ended with `<eos>` (false: cut at the maximum length). */
  ended: boolean;
  /** One row per output token: attention weights over the source tokens (null without attention). */
  attention: number[][] | null;
}

/** GNMT's length penalty ((5 + length) / 6)^α. */
export function lengthPenalty(length: number, alpha: number): number {
  return alpha === 0 ? 1 : ((5 + length) / 6) ** alpha;
}

function maxLengths(sources: readonly (readonly number[])[], options: DecodeOptions): number[] {
  const ratio = options.maxLengthRatio ?? 2;
  const offset = options.maxLengthOffset ?? 10;
  if (!(ratio >= 0) || !(offset >= 0)) {
    throw new Seq2SeqConfigError(
      'maxLengthRatio',
      `maxLengthRatio and maxLengthOffset must be ≥ 0, got ${ratio} and ${offset}.`,
    );
  }
  return sources.map((s) => Math.max(1, Math.floor(ratio * s.length + offset)));
}

/** One decoder step from token ids: log-probabilities `[N, V]`, the new state and the weights. */
function stepTokens(
  model: Seq2Seq,
  tokens: Int32Array,
  state: DecoderState,
  memory: AttentionMemory | null,
): { logProbs: tf.Tensor2D; state: DecoderState; weights?: tf.Tensor2D } {
  return tf.tidy((): tf.TensorContainer => {
    const ids = tf.tensor1d(tokens, 'int32');
    const out = model.decoder.step(
      model.decoder.embedding.forward(ids) as tf.Tensor2D,
      state,
      memory,
    );
    // <pad> and <bos> are never targets: they cannot be generated.
    const { padId, bosId, targetVocabSize } = model.config;
    const banned = new Float32Array(targetVocabSize);
    banned[padId] = -1e9;
    banned[bosId] = -1e9;
    const logits = tf.add(model.decoder.logits(out.hidden), tf.tensor1d(banned));
    const logProbs = tf.logSoftmax(logits);
    return { logProbs, state: out.state, weights: out.weights } as unknown as tf.TensorContainer;
  }) as unknown as { logProbs: tf.Tensor2D; state: DecoderState; weights?: tf.Tensor2D };
}

/** Runs `f` with the model in eval mode (no dropout), then restores the mode. */
function inEval<T>(model: Seq2Seq, f: () => T): T {
  const training = model.training;
  model.eval();
  try {
    return f();
  } finally {
    model.train(training);
  }
}

/** Greedy decoding of a batch of source id rows: the most likely token at every step. */
export function greedyDecode(
  model: Seq2Seq,
  sources: readonly (readonly number[])[],
  options: DecodeOptions = {},
): Hypothesis[] {
  return inEval(model, () => {
    const { bosId, eosId } = model.config;
    const limits = maxLengths(sources, options);
    const encoded = model.encode(sources);
    const batch = sources.length;
    const withAttention = encoded.memory !== null;
    const out: Hypothesis[] = sources.map(() => ({
      tokens: [],
      logProb: 0,
      score: 0,
      ended: false,
      attention: withAttention ? [] : null,
    }));
    const done = new Array<boolean>(batch).fill(false);
    let tokens = new Int32Array(batch).fill(bosId);
    let state = encoded.state;
    try {
      while (done.includes(false)) {
        const step = stepTokens(model, tokens, state, encoded.memory);
        const [best, index] = tf.tidy(() => {
          const top = tf.topk(step.logProbs, 1);
          return [top.values, top.indices];
        });
        const values = best.dataSync();
        const ids = index.dataSync();
        const weights = step.weights?.dataSync();
        const source = step.weights?.shape[1] ?? 0;
        tf.dispose([best, index, step.logProbs, step.weights as tf.Tensor]);
        if (state !== encoded.state) tf.dispose(stateTensors(state));
        state = step.state;
        tokens = new Int32Array(batch);
        for (let b = 0; b < batch; b++) {
          tokens[b] = ids[b];
          if (done[b]) continue;
          const h = out[b];
          h.logProb += values[b];
          if (ids[b] === eosId) {
            h.ended = true;
            done[b] = true;
            continue;
          }
          h.tokens.push(ids[b]);
          if (weights) {
            h.attention!.push(
              Array.from(weights.subarray(b * source, b * source + sources[b].length)),
            );
          }
          if (h.tokens.length >= limits[b]) done[b] = true;
        }
      }
    } finally {
      if (state !== encoded.state) tf.dispose(stateTensors(state));
      encoded.dispose();
    }
    for (const h of out) h.score = h.logProb;
    return out;
  });
}

/** A link in a beam's history (shared prefixes, no copying). */
interface Node {
  token: number;
  attention: number[] | null;
  parent: Node | null;
  length: number;
}

function unwind(node: Node | null): { tokens: number[]; attention: number[][] } {
  const tokens: number[] = [];
  const attention: number[][] = [];
  for (let n = node; n; n = n.parent) {
    tokens.push(n.token);
    if (n.attention) attention.push(n.attention);
  }
  return { tokens: tokens.reverse(), attention: attention.reverse() };
}

/**
 * Batched beam search: the k beams of every input form one `[B·k, …]` batch per step. Each
 * step takes the 2k best (beam, token) extensions per input: `<eos>` among the top k finishes
 * a hypothesis; the best k others continue. An input is done when it holds k finished
 * hypotheses that no live beam can beat any more (a live beam's log-probability only falls; with
 * α > 0 it is bounded by dividing by the largest reachable length penalty), or at its maximum
 * length, where the live beams are kept as unended hypotheses; decoding stops when every input
 * is done.
 * Returns, per input, the n best hypotheses sorted by score.
 */
export function beamSearch(
  model: Seq2Seq,
  sources: readonly (readonly number[])[],
  options: BeamOptions = {},
): Hypothesis[][] {
  const k = positiveInt('beamWidth', options.beamWidth ?? 5);
  const nBest = positiveInt('nBest', options.nBest ?? 1);
  if (nBest > k) {
    throw new Seq2SeqConfigError('nBest', `nBest (${nBest}) cannot exceed beamWidth (${k}).`);
  }
  const alpha = numberIn('lengthPenalty', options.lengthPenalty ?? 0, 0, Number.POSITIVE_INFINITY);
  return inEval(model, () => {
    const { bosId, eosId, padId } = model.config;
    const V = model.config.targetVocabSize;
    const limits = maxLengths(sources, options);
    const batch = sources.length;
    const rows = batch * k;
    const encoded = model.encode(sources);
    const memory = encoded.memory ? tileMemory(encoded.memory, k) : null;
    const tileIndex = Array.from({ length: rows }, (_, r) => Math.floor(r / k));
    let state = tf.tidy(() => {
      const index = tf.tensor1d(tileIndex, 'int32');
      return mapState(encoded.state, (s) => tf.gather(s, index)) as unknown as tf.TensorContainer;
    }) as unknown as DecoderState;
    encoded.dispose();

    const scores = new Float32Array(rows).fill(Number.NEGATIVE_INFINITY);
    for (let b = 0; b < batch; b++) scores[b * k] = 0;
    let nodes: (Node | null)[] = new Array(rows).fill(null);
    let tokens = new Int32Array(rows).fill(bosId);
    const finished: { node: Node | null; logProb: number; score: number; ended: boolean }[][] =
      sources.map(() => []);
    const done = new Array<boolean>(batch).fill(false);
    const width = Math.min(2 * k, k * V);

    try {
      for (let t = 0; done.includes(false); t++) {
        const step = stepTokens(model, tokens, state, memory);
        const [topValues, topIndices] = tf.tidy(() => {
          const total = tf.add(step.logProbs, tf.tensor2d(scores, [rows, 1]));
          const top = tf.topk(tf.reshape(total, [batch, k * V]), width);
          return [top.values, top.indices];
        });
        const values = topValues.dataSync();
        const indices = topIndices.dataSync();
        const weights = step.weights?.dataSync();
        const source = step.weights?.shape[1] ?? 0;
        tf.dispose([topValues, topIndices, step.logProbs, step.weights as tf.Tensor]);

        const parents = new Int32Array(rows);
        const nextTokens = new Int32Array(rows).fill(padId);
        const nextNodes: (Node | null)[] = new Array(rows).fill(null);
        scores.fill(Number.NEGATIVE_INFINITY);
        for (let b = 0; b < batch; b++) {
          for (let j = 0; j < k; j++) parents[b * k + j] = b * k;
          if (done[b]) continue;
          const length = t + 1;
          let kept = 0;
          for (let c = 0; c < width && kept < k; c++) {
            const value = values[b * width + c];
            if (value === Number.NEGATIVE_INFINITY) break;
            const beam = Math.floor(indices[b * width + c] / V);
            const token = indices[b * width + c] % V;
            const row = b * k + beam;
            const attention = weights
              ? Array.from(weights.subarray(row * source, row * source + sources[b].length))
              : null;
            if (token === eosId) {
              if (c < k) {
                finished[b].push({
                  node: nodes[row],
                  logProb: value,
                  score: value / lengthPenalty(length, alpha),
                  ended: true,
                });
              }
              continue;
            }
            const node: Node = { token, attention, parent: nodes[row], length };
            const slot = b * k + kept++;
            parents[slot] = row;
            nextTokens[slot] = token;
            nextNodes[slot] = node;
            scores[slot] = value;
          }
          if (length >= limits[b]) {
            for (let j = 0; j < kept; j++) {
              const slot = b * k + j;
              finished[b].push({
                node: nextNodes[slot],
                logProb: scores[slot],
                score: scores[slot] / lengthPenalty(length, alpha),
                ended: false,
              });
            }
          }
          // Done when no live beam can still enter the k best: a live beam's score only falls,
          // and its normalized score is at most score / lp(longest length it may reach).
          let bound = Number.NEGATIVE_INFINITY;
          for (let j = 0; j < kept; j++) {
            const s = scores[b * k + j];
            bound = Math.max(bound, alpha === 0 ? s : s / lengthPenalty(limits[b] + 1, alpha));
          }
          const ranked = finished[b].map((h) => h.score).sort((x, y) => y - x);
          const settled = ranked.length >= k && ranked[k - 1] >= bound;
          if (length >= limits[b] || settled || kept === 0) {
            done[b] = true;
            for (let j = 0; j < k; j++) scores[b * k + j] = Number.NEGATIVE_INFINITY;
          }
        }
        const previous = state;
        state = tf.tidy(() => {
          const index = tf.tensor1d(parents, 'int32');
          return mapState(step.state, (s) => tf.gather(s, index)) as unknown as tf.TensorContainer;
        }) as unknown as DecoderState;
        tf.dispose([...stateTensors(previous), ...stateTensors(step.state)]);
        nodes = nextNodes;
        tokens = nextTokens;
      }
    } finally {
      tf.dispose(stateTensors(state));
      memory?.dispose();
    }

    const withAttention = memory !== null;
    return finished.map((list) =>
      list
        .sort((a, b) => b.score - a.score)
        .slice(0, nBest)
        .map(({ node, logProb, score, ended }) => {
          const { tokens, attention } = unwind(node);
          return { tokens, logProb, score, ended, attention: withAttention ? attention : null };
        }),
    );
  });
}
