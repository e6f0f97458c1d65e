import { attentionMap as attentionSvg } from '@seqzoo/plot';
import type { Translation } from '@seqzoo/seq2seq';

/**
 * The attention heat map of one translation, drawn by @seqzoo/plot (the same picture as
 * `seqzoo plot attention`): a column per source token, a row per output token (`</s>` last),
 * a colour scale, axis titles, the prediction under the map. Returned as the `<svg>` element,
 * with `data-rows`/`data-cols` giving the matrix's shape; each `rect.cell` has `data-value`.
 */
export function attentionMap(t: Translation, input: string): SVGSVGElement {
  const weights = t.attention ?? [];
  const box = document.createElement('div');
  box.innerHTML = attentionSvg(weights, t.sourceTokens, t.outputTokens, {
    input,
    title: t.text ? `attention of '${t.text}'` : 'attention (the output is empty)',
  });
  const map = box.querySelector('svg') as SVGSVGElement;
  map.classList.add('attention-map');
  map.dataset.rows = String(weights.length);
  map.dataset.cols = String(t.sourceTokens.length);
  map.setAttribute('role', 'img');
  map.setAttribute('aria-label', `attention of '${t.text}' over '${input}'`);
  return map;
}
