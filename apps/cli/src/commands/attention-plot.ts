import { attentionMap } from '@seqzoo/plot';

/**
 * The attention heat map of a translation (@seqzoo/plot's `attentionMap`): a column per source
 * token, a row per output token (`</s>` last when the matrix has a row for it), a colour scale
 * from 0 to 1, axis titles and the predicted output under the map.
 */
export function attentionSvg(
  attention: readonly (readonly number[])[],
  sourceTokens: readonly string[],
  outputTokens: readonly string[],
): string {
  return attentionMap(attention, sourceTokens, outputTokens);
}
