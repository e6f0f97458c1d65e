import { csvClassification, type SourceLike } from '@seqzoo/data';
import { ZooConfigError } from '../errors';

/** A batch of texts and their labels: what the classifiers' `loss(batch)` takes. */
export interface TextBatch {
  texts: readonly string[];
  labels: readonly string[];
}

/** Texts with string labels, as read from a CSV. */
export interface LabeledTexts {
  texts: string[];
  labels: string[];
}

/**
 * Reads every row of a CSV/TSV (with a header) into texts and their labels. A row whose label is
 * empty (or only spaces) is a `ZooConfigError` naming the row: it would otherwise become a class.
 */
export async function readLabeledCsv(
  source: SourceLike,
  options: { textColumn: string; labelColumn: string; delimiter?: string },
): Promise<LabeledTexts> {
  const { dataset, labels: names } = await csvClassification(source, options);
  const texts: string[] = [];
  const labels: string[] = [];
  for await (const row of dataset) {
    const label = names[row.label];
    if (label.trim() === '') {
      throw new ZooConfigError(
        options.labelColumn,
        `row ${texts.length + 1} (after the header) has an empty label; give every row a label or drop it.`,
      );
    }
    texts.push(row.text);
    labels.push(label);
  }
  return { texts, labels };
}

/** The sorted distinct labels, and each label's id in that list. */
export function encodeLabels(
  labels: readonly string[],
  known?: readonly string[],
): { names: string[]; ids: number[] } {
  if (!known) checkLabels(labels);
  const names = known ? [...known] : [...new Set(labels)].sort();
  const index = new Map(names.map((l, i) => [l, i]));
  const ids = labels.map((l) => {
    const id = index.get(l);
    if (id === undefined) {
      throw new ZooConfigError(
        'labels',
        `label ${JSON.stringify(l)} was not seen in training (known: ${names.join(', ')}).`,
      );
    }
    return id;
  });
  if (!known && names.length < 2) {
    throw new ZooConfigError('labels', `need at least two classes, got ${names.length}.`);
  }
  return { names, ids };
}

/** Throws a `ZooConfigError` naming the first example whose label is empty or only spaces. */
export function checkLabels(labels: readonly string[]): void {
  const i = labels.findIndex((l) => typeof l !== 'string' || l.trim() === '');
  if (i >= 0) {
    throw new ZooConfigError(
      'labels',
      `example ${i + 1} has an empty label (${JSON.stringify(labels[i])}); give every example a label or drop it.`,
    );
  }
}
