import type { Registry } from '@seqzoo/registry';
import type { Seq2SeqModel } from '@seqzoo/seq2seq';
import { characterErrorRate, wordErrorRate } from '@seqzoo/train';
import type { BowClassifier, ClassificationReport, RecurrentLM } from '@seqzoo/zoo';
import { formatTable } from '../table';
import { loadSaved } from './saved';
import { classifierData, type DataArgs, lmData, seq2seqData } from './task-data';

export interface EvalArgs extends DataArgs {
  backend: string;
  beam?: number;
}

export type EvalReport =
  | ({ kind: 'classifier'; examples: number } & ClassificationReport)
  | {
      kind: 'seq2seq';
      examples: number;
      exactMatch: number;
      wer: number;
      cer: number;
      decoding: string;
    }
  | {
      kind: 'lm';
      examples: number;
      perplexity: number;
      crossEntropy: number;
      bitsPerToken: number;
      tokens: number;
    };

/**
 * `seqzoo eval`: the saved model's metrics on labelled data — accuracy, macro and per-class F1
 * and the confusion matrix (classifiers); exact match, WER and CER (seq2seq); perplexity (LMs).
 * Columns default to those the model was trained with; a synthetic dataset defaults to another
 * seed than training's, so its examples are new draws.
 */
export async function evalCommand(
  registry: Registry,
  dir: string,
  args: EvalArgs,
): Promise<EvalReport> {
  const { model, kind, trained } = await loadSaved(registry, dir, args.backend);
  const data: EvalArgs = {
    ...args,
    textColumn: args.textColumn ?? trained.textColumn ?? undefined,
    labelColumn: args.labelColumn ?? trained.labelColumn ?? undefined,
    dataSeed: args.dataSeed ?? 1000 + (trained.seed ?? 0),
  };
  if (kind === 'classifier') {
    const { texts, labels } = await classifierData(data);
    const report = (model as unknown as BowClassifier).evaluate(texts, labels);
    return { kind, examples: texts.length, ...report };
  }
  if (kind === 'seq2seq') {
    const pairs = await seq2seqData({ ...data, size: data.size ?? 1000 });
    const translator = (model as unknown as Seq2SeqModel).translator;
    const beam = args.beam ?? 1;
    const hyps: string[] = [];
    for (let i = 0; i < pairs.length; i += 128) {
      const out = translator.translate(
        pairs.slice(i, i + 128).map((p) => p.source),
        beam > 1 ? { beamWidth: beam } : { method: 'greedy' },
      );
      for (const list of out) hyps.push(list[0].text);
    }
    const refs = pairs.map((p) => p.target);
    return {
      kind,
      examples: pairs.length,
      exactMatch: hyps.filter((h, i) => h === refs[i]).length / refs.length,
      wer: wordErrorRate(refs, hyps),
      cer: characterErrorRate(refs, hyps),
      decoding: beam > 1 ? `beam ${beam}` : 'greedy',
    };
  }
  const texts = await lmData(data);
  return { kind, examples: texts.length, ...(model as unknown as RecurrentLM).evaluate(texts) };
}

export function formatEval(r: EvalReport): string {
  const n = (x: number) => x.toFixed(4);
  if (r.kind === 'classifier') {
    const lines = [
      `${r.examples} examples: accuracy ${n(r.accuracy)}, macro F1 ${n(r.macroF1)}`,
      '',
      formatTable(
        ['class', 'precision', 'recall', 'F1', 'support'],
        r.perClass.map((c) => [c.label, n(c.precision), n(c.recall), n(c.f1), String(c.support)]),
      ),
      '',
      'confusion (rows: truth, columns: predicted)',
      formatTable(
        ['', ...r.labels],
        r.confusion.map((row, i) => [r.labels[i], ...row.map(String)]),
      ),
    ];
    return lines.join('\n');
  }
  if (r.kind === 'seq2seq') {
    return `${r.examples} examples (${r.decoding}): exact match ${n(r.exactMatch)}, WER ${n(r.wer)}, CER ${n(r.cer)}`;
  }
  return `${r.examples} texts, ${r.tokens} tokens: perplexity ${n(r.perplexity)}, cross-entropy ${n(r.crossEntropy)} nats, ${n(r.bitsPerToken)} bits/token`;
}
