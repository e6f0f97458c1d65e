import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../errors';
import { tinyCsv } from '../testing';
import { cliRegistry } from './models';
import { loadSaved } from './saved';

describe('loadSaved: what is wrong with the folder given', () => {
  it('a folder that does not exist is named as missing, not as holding no model', async () => {
    const { dir } = tinyCsv(2);
    const missing = join(dir, 'nope-model');
    const error = await loadSaved(cliRegistry(), missing, 'cpu').catch((e) => e);
    const line = oneLine(error);
    expect(line).toMatch(
      /^CliError: .*nope-model: no such folder; give the --out folder of `seqzoo train`/,
    );
    expect(line).not.toMatch(/holds no saved model/);
  });

  it('an existing folder without model.json holds no saved model', async () => {
    const { dir } = tinyCsv(2);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const error = await loadSaved(cliRegistry(), empty, 'cpu').catch((e) => e);
    expect(oneLine(error)).toMatch(/empty holds no saved model \(no model\.json\)/);
    expect(oneLine(error)).not.toMatch(/no such folder/);
  });
});
