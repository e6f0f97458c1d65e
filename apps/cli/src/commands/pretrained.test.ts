import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, type CliResult, ENV, seqzoo, tinyCsv } from '../testing';
import { findPretrained, nodeModulesFrom, resolveModelLocation } from './pretrained';

/** The CLI run from `cwd` (tsx imported by absolute URL: the folder has no node_modules of it). */
function seqzooIn(cwd: string, ...args: string[]): Promise<CliResult> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@seqzoo/source', '--import', tsx, CLI, ...args],
      { env: ENV, cwd },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A package folder with a package.json (and a model.json where `model` says). */
function fakePackage(
  nodeModules: string,
  name: string,
  seqzooField: Record<string, unknown> | undefined,
): string {
  const dir = join(nodeModules, name);
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.2.3', description: `${name} test`, seqzoo: seqzooField }),
  );
  writeFileSync(join(dir, 'model', 'model.json'), '{}');
  return dir;
}

describe('pretrained packages', () => {
  it('finds packages with a seqzoo field (scoped or not), first search path winning', () => {
    const { dir } = tinyCsv(2);
    const a = join(dir, 'a', 'node_modules');
    const b = join(dir, 'b', 'node_modules');
    fakePackage(a, '@acme/tagger', { id: 'tagger', model: './model/model.json', task: 'tagging' });
    fakePackage(a, 'plain-lib', undefined);
    fakePackage(a, 'escapes', { id: 'escapes', model: '../../elsewhere/model.json' });
    fakePackage(a, 'no-id', { model: './model/model.json' });
    fakePackage(b, '@acme/tagger', { id: 'tagger-old', model: './model/model.json' });
    fakePackage(b, 'spam-filter', { id: 'spam', model: 'model/model.json', load: 'loadSpam' });
    const found = findPretrained([a, join(dir, 'missing'), b]);
    expect(found.map((p) => [p.id, p.name, p.foundIn])).toEqual([
      ['spam', 'spam-filter', b],
      ['tagger', '@acme/tagger', a],
    ]);
    expect(found[0]).toMatchObject({
      version: '1.2.3',
      load: 'loadSpam',
      modelDir: join(b, 'spam-filter', 'model'),
    });
  });

  it('resolves an id or a package name to the model folder; an existing path wins', () => {
    const { dir } = tinyCsv(2);
    const nm = join(dir, 'node_modules');
    fakePackage(nm, '@acme/tagger', { id: 'tagger', model: './model/model.json' });
    const model = join(nm, '@acme/tagger', 'model');
    expect(resolveModelLocation('tagger', [nm]).location).toBe(model);
    expect(resolveModelLocation('@acme/tagger', [nm]).pretrained?.id).toBe('tagger');
    expect(resolveModelLocation('nothing-here', [nm])).toEqual({
      location: 'nothing-here',
      pretrained: null,
    });
    expect(resolveModelLocation(dir, [nm]).location).toBe(dir); // a folder, not a package
    expect(resolveModelLocation('./tagger', [nm]).location).toBe('./tagger'); // a path, never looked up
  });

  it('searches node_modules from a folder up to the root, as Node does', () => {
    expect(nodeModulesFrom('/x/node_modules/y/z')).toEqual([
      '/x/node_modules/y/z/node_modules',
      '/x/node_modules/y/node_modules',
      '/x/node_modules',
      '/node_modules',
    ]);
  });

  it('seqzoo models lists one installed in the current project, and predict runs it by id or name', async () => {
    const { dir, csv } = tinyCsv();
    const out = join(dir, 'trained');
    const train = await seqzoo(
      'train',
      'zoo:bow-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      '--label-column',
      'label',
      '--backend',
      'cpu',
      '--epochs',
      '20',
      '--out',
      out,
    );
    expect(train.code, train.stderr).toBe(0);
    const project = join(dir, 'project');
    const pkg = fakePackage(join(project, 'node_modules'), '@acme/tiny-spam', {
      id: 'tiny-spam',
      model: './model/model.json',
      task: 'text-classification',
      load: 'loadTinySpam',
    });
    cpSync(out, join(pkg, 'model'), { recursive: true });

    const models = await seqzooIn(project, 'models');
    expect(models.code, models.stderr).toBe(0);
    expect(models.stdout).toMatch(/^zoo:bow-classifier\s/m); // the architectures are still there
    expect(models.stdout).toMatch(
      /^tiny-spam\s+@acme\/tiny-spam@1\.2\.3\s+text-classification\s+import \{ loadTinySpam \} from '@acme\/tiny-spam'$/m,
    );

    const byFolder = await seqzoo('predict', out, 'win money now', 'see you at lunch');
    expect(byFolder.code, byFolder.stderr).toBe(0);
    expect(byFolder.stdout.trim().split('\n')).toEqual([
      'win money now → spam',
      'see you at lunch → ham',
    ]);
    for (const spec of ['tiny-spam', '@acme/tiny-spam']) {
      const byName = await seqzooIn(project, 'predict', spec, 'win money now', 'see you at lunch');
      expect(byName.code, byName.stderr).toBe(0);
      expect(byName.stdout).toBe(byFolder.stdout);
    }
    // Outside the project the package is not installed: the error says what to give.
    const elsewhere = await seqzooIn(dir, 'predict', 'tiny-spam', 'hi');
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/tiny-spam.*seqzoo models/);
  });

  it('the CLI finds @seqzoo/g2p-en beside itself and predicts with its model', async () => {
    const models = await seqzoo('models');
    expect(models.stdout).toMatch(/^g2p-en\s+@seqzoo\/g2p-en@\S+\s+grapheme-to-phoneme\s/m);
    const json = await seqzoo('models', '--json');
    expect(json.code, json.stderr).toBe(0);
    const listed = JSON.parse(json.stdout) as {
      architectures: { id: string }[];
      pretrained: { id: string; name: string; load: string; modelDir: string }[];
    };
    expect(listed.architectures.map((a) => a.id)).toContain('seq2seq:attention');
    const g2p = listed.pretrained.find((p) => p.id === 'g2p-en');
    expect(g2p).toMatchObject({ name: '@seqzoo/g2p-en', load: 'loadG2P' });
    expect(existsSync(join(g2p?.modelDir ?? '', 'model.json'))).toBe(true);
    const predicted = await seqzoo('predict', 'g2p-en', 'zorbl', '--backend', 'cpu', '--json');
    expect(predicted.code, predicted.stderr).toBe(0);
    const [p] = predicted.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { input: string; output: { tokens?: string[] } });
    expect(p.input).toBe('zorbl');
    expect(JSON.stringify(p)).toMatch(/"Z"/);
  });
});
