import { type PerplexityResult, perplexityReport } from '@seqzoo/train';
import { ZooConfigError } from './errors';

export type { ClassificationReport, PerplexityResult } from '@seqzoo/train';

/** @seqzoo/train's perplexity report, with nothing to score a typed error on `field`. */
export function perplexityFrom(
  nll: number,
  tokens: number,
  field: string,
  message: string,
): PerplexityResult {
  if (tokens === 0) throw new ZooConfigError(field, message);
  return perplexityReport(nll, tokens);
}
