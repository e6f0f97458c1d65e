import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Registry } from '@seqzoo/registry';
import type { Seq2SeqModel } from '@seqzoo/seq2seq';
import type { RecurrentLM, RnnClassifier } from '@seqzoo/zoo';
import { CliError } from '../errors';
import { attentionSvg } from './attention-plot';
import { loadSaved } from './saved';

export interface PredictArgs {
  backend: string;
  stdin?: boolean;
  beam?: number;
  nBest?: number;
  length?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  prompt?: string;
  count?: number;
  seed?: number;
  /** seq2seq: write the first input's best translation's attention heat map here. */
  attention?: string;
}

export type Prediction =
  | { input: string; label: string; probabilities: Record<string, number> }
  | { input: string; translations: { text: string; score: number; logProb: number }[] }
  | { prompt: string; text: string };

async function readStdin(): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== '') lines.push(line);
  }
  return lines;
}

/**
 * `seqzoo predict`: classifies texts (label and class probabilities), translates them (beam
 * search, n-best lists) or, for a language model, generates text (one sample per prompt, or
 * `--count` samples).
 */
export async function predictCommand(
  registry: Registry,
  dir: string,
  inputs: string[],
  args: PredictArgs,
): Promise<Prediction[]> {
  const { model, kind } = await loadSaved(registry, dir, args.backend);
  const texts = args.stdin ? [...inputs, ...(await readStdin())] : inputs;
  if (kind === 'lm') {
    const lm = model as unknown as RecurrentLM;
    const prompts = texts.length ? texts : [args.prompt ?? ''];
    const count = args.count ?? 1;
    const out: Prediction[] = [];
    for (const prompt of prompts) {
      for (let i = 0; i < count; i++) {
        const text = lm.generate({
          prompt: prompt || undefined,
          maxLength: args.length,
          temperature: args.temperature,
          topK: args.topK,
          topP: args.topP,
          seed: (args.seed ?? 0) + i,
        });
        out.push({ prompt, text });
      }
    }
    return out;
  }
  if (texts.length === 0) {
    throw new CliError(
      'nothing to predict: give inputs as arguments or lines on stdin with --stdin.',
    );
  }
  if (kind === 'classifier') {
    const clf = model as unknown as RnnClassifier;
    const proba = clf.predictProba(texts);
    const rows = (await proba.array()) as number[][];
    proba.dispose();
    return texts.map((input, i) => {
      const p = rows[i];
      const best = p.indexOf(Math.max(...p));
      return {
        input,
        label: clf.labels[best],
        probabilities: Object.fromEntries(clf.labels.map((l, j) => [l, p[j]])),
      };
    });
  }
  const translator = (model as unknown as Seq2SeqModel).translator;
  const beam = args.beam ?? 5;
  const nBest = args.nBest ?? 1;
  if (nBest > beam)
    throw new CliError(`--n-best ${nBest} is more than --beam ${beam}; raise --beam.`);
  const lists = translator.translate(
    texts,
    beam > 1 ? { beamWidth: beam, nBest } : { method: 'greedy' },
  );
  if (args.attention) {
    const best = lists[0][0];
    if (!best.attention) {
      throw new CliError(`--attention: this model has no attention (config attention: 'none').`);
    }
    await writeFile(
      args.attention,
      attentionSvg(best.attention, best.sourceTokens, best.outputTokens),
    );
  }
  return texts.map((input, i) => ({
    input,
    translations: lists[i].map((h) => ({ text: h.text, score: h.score, logProb: h.logProb })),
  }));
}

export function formatPredictions(predictions: Prediction[]): string {
  return predictions
    .map((p) => {
      if ('label' in p) {
        const prob = p.probabilities[p.label];
        return `${p.label}\t${prob.toFixed(4)}\t${p.input}`;
      }
      if ('translations' in p) {
        const [best, ...rest] = p.translations;
        return [
          `${p.input} → ${best.text}  (score ${best.score.toFixed(4)})`,
          ...rest.map(
            (h) => `  ${' '.repeat(p.input.length)}${h.text}  (score ${h.score.toFixed(4)})`,
          ),
        ].join('\n');
      }
      return p.text;
    })
    .join('\n');
}
