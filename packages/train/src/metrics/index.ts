export { type BleuOptions, type BleuResult, bleu } from './bleu';
export { accuracy, bitsPerChar, type Pooled, perplexity, tokenAccuracy } from './classification';
export {
  characterErrorRate,
  editDistance,
  errorRate,
  phonemeErrorRate,
  wordErrorRate,
} from './edit-distance';
export {
  type ClassificationReport,
  type ClassScores,
  classificationReport,
  type PerplexityResult,
  perplexityReport,
} from './report';
