/** Escapes text for SVG; a space is shown as '␣' so that it can be seen on an axis. */
function label(token: string): string {
  const t = token === ' ' ? '␣' : token;
  return t
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * An SVG heat map of a translation's attention: one row per output token (y axis, `</s>` last
 * when the matrix has a row for it), one column per source token (x axis, on top); darker is
 * more weight (each row sums to 1). Each cell's title holds its weight.
 */
export function attentionSvg(
  attention: readonly (readonly number[])[],
  sourceTokens: readonly string[],
  outputTokens: readonly string[],
): string {
  const rowsLabels = [...outputTokens];
  while (rowsLabels.length < attention.length) rowsLabels.push('</s>');
  const cell = 22;
  const left = 12 + 8 * Math.max(4, ...rowsLabels.map((t) => label(t).length));
  const top = 12 + 8 * Math.max(4, ...sourceTokens.map((t) => label(t).length));
  const width = left + cell * sourceTokens.length + 12;
  const height = top + cell * attention.length + 12;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  sourceTokens.forEach((t, j) => {
    const x = left + cell * j + cell / 2 + 4;
    parts.push(
      `<text class="source" x="${x}" y="${top - 6}" transform="rotate(-90 ${x} ${top - 6})">${label(t)}</text>`,
    );
  });
  attention.forEach((row, i) => {
    const y = top + cell * i;
    parts.push(
      `<text class="output" x="${left - 6}" y="${y + cell / 2 + 4}" text-anchor="end">${label(rowsLabels[i])}</text>`,
    );
    row.forEach((w, j) => {
      const shade = Math.round(255 * (1 - Math.min(1, Math.max(0, w))));
      parts.push(
        `<rect x="${left + cell * j}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)"><title>${label(rowsLabels[i])} ← ${label(sourceTokens[j])}: ${w.toFixed(3)}</title></rect>`,
      );
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
