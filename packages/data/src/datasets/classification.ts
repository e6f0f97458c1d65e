import type { Dataset } from '../dataset';
import { DataArgumentError } from '../errors';
import { type CsvOptions, readCsv } from '../read-csv';
import type { SourceLike } from '../sources';

/** Options of `csvClassification`: which CSV columns hold the texts and the labels. */
export interface ClassificationOptions extends Omit<CsvOptions, 'header' | 'columns'> {
  textColumn: string;
  labelColumn: string;
  /** The label set, in id order. Default: inferred by a first pass (distinct values, sorted). */
  labels?: string[];
}

/** A text with its label (a row of `csvClassification`). */
export interface LabeledText {
  text: string;
  /** Index into `labels`. */
  label: number;
}

/**
 * Text classification from any CSV/TSV with a header: `textColumn` and `labelColumn` picked by
 * name. Labels become ids by their index in `labels` (given, or inferred by one extra pass over
 * the source, sorted so the ids do not depend on row order). A label outside a given set is an
 * error naming it.
 */
export async function csvClassification(
  source: SourceLike,
  options: ClassificationOptions,
): Promise<{ dataset: Dataset<LabeledText>; labels: string[] }> {
  const { textColumn, labelColumn, labels: given, ...csv } = options;
  const rows = readCsv(source, { ...csv, header: true, columns: [textColumn, labelColumn] });
  let labels = given;
  if (!labels) {
    const seen = new Set<string>();
    for await (const r of rows) seen.add(r[labelColumn]);
    labels = [...seen].sort();
  }
  const ids = new Map(labels.map((l, i) => [l, i]));
  const known = labels;
  const dataset = rows.map((r) => {
    const label = ids.get(r[labelColumn]);
    if (label === undefined)
      throw new DataArgumentError(
        `Label ${JSON.stringify(r[labelColumn])} is not in the label set [${known.map((l) => JSON.stringify(l)).join(', ')}]; add it to labels or leave labels out to infer them.`,
      );
    return { text: r[textColumn], label };
  });
  return { dataset, labels: known };
}
