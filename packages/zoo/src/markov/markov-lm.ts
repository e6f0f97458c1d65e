import { Module } from '@seqzoo/layers';
import type { z } from 'zod';
import { parseConfig, ZooConfigError } from '../errors';
import type { SamplingOptions } from '../sampling';
import { type MarkovJSON, MarkovModel, markovConfigSchema, type PerplexityResult } from './markov';

export { markovConfigSchema } from './markov';

/** `zoo:markov`'s config with its defaults filled in. */
export type MarkovLMConfig = z.output<typeof markovConfigSchema>;

/**
 * `zoo:markov` as a registry model: a `MarkovModel` behind the `Module` contract. It has no
 * tensors; its counts travel as JSON in the saved model's vocabularies (`markov`).
 */
export class MarkovLM extends Module {
  readonly config: MarkovLMConfig;
  private fitted: MarkovModel | null;

  constructor(config: z.input<typeof markovConfigSchema> = {}, saved?: MarkovJSON) {
    super();
    this.config = parseConfig(markovConfigSchema, config, 'zoo:markov');
    this.fitted = saved ? MarkovModel.fromJSON({ ...saved, config: this.config }) : null;
  }

  /** Counts the n-grams of `sequences` (replacing earlier counts). */
  fit(sequences: Iterable<string | readonly string[]>): this {
    this.fitted = MarkovModel.fit(sequences, this.config);
    return this;
  }

  get model(): MarkovModel {
    if (!this.fitted) {
      throw new ZooConfigError('markov', 'the model has no counts yet; call fit(texts) first.');
    }
    return this.fitted;
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  /** Perplexity over `sequences` (see `MarkovModel.perplexity`). */
  perplexity(sequences: Iterable<string | readonly string[]>): PerplexityResult {
    return this.model.perplexity(sequences);
  }

  /** The `topN` most likely next tokens after `context`, with their probabilities. */
  predictNext(context: string | readonly string[], topN = 5) {
    return this.model.predictNext(context, topN);
  }

  /** A sequence drawn from the model (seeded; temperature, top-k, top-p; optional prompt). */
  sample(
    options: SamplingOptions & { seed?: number; prompt?: string; maxLength?: number } = {},
  ): string {
    return this.model.sample(options);
  }

  /** The counts as JSON (saved in the model's vocabularies as `markov`). */
  toJSON(): MarkovJSON {
    return this.model.toJSON();
  }
}
