import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, seqzoo } from './testing';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
let dir: string;
let pkg: string;
let data: string;

/** Sentences of word/TAG pairs from a small lexicon where each word has one tag. */
function sentences(n: number): string {
  const det = ['the', 'a'];
  const noun = ['cat', 'dog', 'bird', 'fish', 'child'];
  const verb = ['runs', 'sleeps', 'eats', 'sings'];
  const adv = ['fast', 'often', 'quietly'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const parts = [
      `${det[i % 2]}/DET`,
      `${noun[i % 5]}/NOUN`,
      `${verb[(i * 3) % 4]}/VERB`,
      ...(i % 3 ? [`${adv[i % 3]}/ADV`] : []),
    ];
    lines.push(parts.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  // A package folder outside the repository, as a user's project would hold a plugin; its
  // node_modules points at the repository's (where @seqzoo/registry and friends live).
  dir = mkdtempSync(join(tmpdir(), 'seqzoo-plugin-'));
  pkg = join(dir, 'acme-seqzoo-tagger');
  mkdirSync(pkg);
  copyFileSync(join(here, 'fixtures', 'acme-tagger.mjs'), join(pkg, 'index.mjs'));
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'acme-seqzoo-tagger', type: 'module', main: 'index.mjs' }),
  );
  symlinkSync(join(repo, 'node_modules'), join(pkg, 'node_modules'));
  data = join(dir, 'tags.txt');
  writeFileSync(data, sentences(40));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a third-party plugin through the CLI (--plugin)', () => {
  it('is listed and described, trained, evaluated, saved, loaded, exported, imported and used', async () => {
    const p = ['--plugin', pkg];
    const models = await seqzoo(...p, 'models');
    expect(models.code, models.stderr).toBe(0);
    expect(models.stdout).toMatch(/^acme:tagger\s+A unigram part-of-speech tagger/m);
    const described = await seqzoo(...p, 'describe', 'acme:tagger');
    expect(described.stdout).toMatch(/task: learns from custom; best model by accuracy \(max\)/);

    const out = join(dir, 'tagger');
    const trained = await seqzoo(
      'train',
      'acme:tagger',
      ...p,
      '--data',
      data,
      '--backend',
      'cpu',
      '--epochs',
      '12',
      '--json',
      '--out',
      out,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const ev = events(trained.stdout);
    expect(ev[0]).toMatchObject({
      event: 'start',
      modelId: 'acme:tagger',
      examples: 30,
      validationExamples: 10,
    });
    const done = ev.at(-1)!;
    expect(done).toMatchObject({ event: 'done', stopReason: 'completed' });
    expect((done.validation as { accuracy: number }).accuracy).toBeGreaterThan(0.9);
    expect(existsSync(join(out, 'model.json'))).toBe(true);

    const evaluated = await seqzoo('eval', out, ...p, '--data', data, '--backend', 'cpu', '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({
      modelId: 'acme:tagger',
      examples: 40,
      metric: 'accuracy',
    });
    expect(JSON.parse(evaluated.stdout).metrics.accuracy).toBeGreaterThan(0.9);

    const predicted = await seqzoo(
      'predict',
      out,
      ...p,
      'the dog sleeps quietly',
      '--backend',
      'cpu',
      '--json',
    );
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(JSON.parse(predicted.stdout)).toMatchObject({
      input: 'the dog sleeps quietly',
      text: 'the/DET dog/NOUN sleeps/VERB quietly/ADV',
    });
    // options its task does not list are refused
    const beam = await seqzoo('predict', out, ...p, 'the dog', '--beam', '3', '--backend', 'cpu');
    expect(beam.code).toBe(1);
    expect(beam.stderr.split('\n')[0]).toMatch(
      /--beam: acme:tagger does not take it; it takes no prediction options/,
    );

    const file = join(dir, 'tagger.safetensors');
    const exported = await seqzoo('export', out, ...p, '--out', file, '--backend', 'cpu');
    expect(exported.code, exported.stderr).toBe(0);
    const copy = join(dir, 'copy');
    const imported = await seqzoo(
      'import',
      file,
      ...p,
      '--model',
      'acme:tagger',
      '--vocabularies',
      join(out, 'model.json'),
      '--out',
      copy,
      '--backend',
      'cpu',
    );
    expect(imported.code, imported.stderr).toBe(0);
    const again = await seqzoo('predict', copy, ...p, 'the dog sleeps quietly', '--backend', 'cpu');
    expect(again.stdout.trim()).toBe(
      'the dog sleeps quietly → the/DET dog/NOUN sleeps/VERB quietly/ADV',
    );

    // without the plugin the saved model's id is unknown, and the message says so
    const without = await seqzoo('predict', out, 'the dog', '--backend', 'cpu');
    expect(without.code).toBe(1);
    expect(without.stderr.split('\n')[0]).toMatch(/Unknown model 'acme:tagger'/);
  });

  it('a module that is not there, or exports no plugin, is one line naming --plugin', async () => {
    const missing = await seqzoo('--plugin', join(dir, 'nope.mjs'), 'models');
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toMatch(/--plugin .*nope\.mjs: cannot load it/);
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export const x = 1;\n');
    const none = await seqzoo('--plugin', empty, 'models');
    expect(none.stderr.split('\n')[0]).toMatch(/exports no plugin; export default definePlugin/);
  });

  it('the CLI source names no model id outside tests and help text', () => {
    const out = execFileSync(
      'grep',
      ['-rnE', 'zoo:|seq2seq:', join(repo, 'apps/cli/src'), '--include=*.ts'],
      {
        encoding: 'utf8',
      },
    );
    const offending = out
      .split('\n')
      .filter(Boolean)
      .filter((l) => !/\.test\.ts:/.test(l))
      // help text: the examples in commander's argument and option descriptions
      .filter((l) => !/\.(argument|option|requiredOption)\(|e\.g\. /.test(l))
      // comments
      .filter((l) => !/:\d+:\s*(\/\/|\/?\*)/.test(l))
      // bench (timings of named models) and plot gates (recurrent LMs' gates) measure and draw
      // particular models by design; train, eval, predict, describe, export and import do not.
      .filter((l) => !/commands\/(bench|plot)\.ts:/.test(l));
    expect(offending).toEqual([]);
  });
});
