import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, seqzoo, tinyCsv } from './testing';

/**
 * Every error documented in the README's table, triggered as a user would (child processes):
 * exactly one line on stderr, the documented exit code, no stack trace (unless --debug).
 */
const tiny = ['--set', 'hiddenSize=4', '--set', 'embeddingSize=4', '--backend', 'cpu'];

function expectOneLine(r: CliResult, code: number, pattern: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code, r.stderr).toBe(code);
}

/** A safetensors file whose header says a tensor lies past the end of the data. */
function lyingSafetensors(): Buffer {
  const header = Buffer.from(
    JSON.stringify({ 'embedding.weight': { dtype: 'F32', shape: [4, 4], data_offsets: [0, 64] } }),
  );
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, Buffer.alloc(8)]); // 8 bytes of data, not 64
}

describe('documented errors: one line, exit code, no stack', () => {
  const { dir, csv } = tinyCsv(16);
  const model = join(dir, 'model');
  const files = {
    badRow: join(dir, 'bad-row.csv'),
    otherColumns: join(dir, 'other-columns.csv'),
    empty: join(dir, 'empty'),
    truncated: join(dir, 'truncated'),
    lyingHeader: join(dir, 'lying-header'),
    lying: join(dir, 'lying.safetensors'),
  };

  beforeAll(async () => {
    writeFileSync(files.badRow, 'text,label\n"good film",pos\n"bad "film",neg\nok,pos\n');
    writeFileSync(files.otherColumns, 'message,category\nhello,a\nbye,b\n');
    mkdirSync(files.empty);
    writeFileSync(files.lying, lyingSafetensors());
    const trained = await seqzoo(
      'train',
      'zoo:rnn-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      ...tiny,
      '--epochs',
      '1',
      '--out',
      model,
    );
    expect(trained.code, trained.stderr).toBe(0);
    // A save cut short: half of the weights file.
    cpSync(model, files.truncated, { recursive: true });
    const weights = join(files.truncated, 'weights.safetensors');
    const bytes = readFileSync(weights);
    writeFileSync(weights, bytes.subarray(0, bytes.length >> 1));
    // A header that claims more bytes than the file has.
    cpSync(model, files.lyingHeader, { recursive: true });
    const lied = readFileSync(join(files.lyingHeader, 'weights.safetensors'));
    lied.writeBigUInt64LE(BigInt(lied.length * 4), 0);
    writeFileSync(join(files.lyingHeader, 'weights.safetensors'), lied);
  });

  const train = (...args: string[]) => ['train', 'zoo:rnn-classifier', ...args];
  const cases: [string, () => string[], number, RegExp][] = [
    [
      'unknown command',
      () => ['fly'],
      2,
      /^error: unknown command 'fly'; run `seqzoo --help` for the commands\.$/,
    ],
    [
      'unknown flag',
      () => train('--epochz', '3'),
      2,
      /^error: unknown option '--epochz' \(did you mean --epochs\?\); run `seqzoo train --help`/,
    ],
    [
      'bad flag value',
      () => train('--epochs', 'two'),
      2,
      /^error: option '--epochs <n>' argument 'two' is invalid\. expected a positive integer.*`seqzoo train --help`/,
    ],
    [
      'missing argument',
      () => ['predict'],
      2,
      /^error: missing required argument 'dir'; run `seqzoo predict --help`/,
    ],
    [
      'unknown model id',
      () => ['train', 'zoo:nope', '--data', csv],
      1,
      /^UnknownModelError: Unknown model 'zoo:nope'\. Registered models: seq2seq:attention, .*; run `seqzoo models` for the list\.$/,
    ],
    [
      'a model the CLI cannot train',
      () => ['train', 'zoo:mlp', '--data', csv],
      1,
      /^CliError: train\/eval\/predict do not handle 'zoo:mlp' yet; they handle zoo:rnn-classifier/,
    ],
    [
      'bad --set',
      () => train('--data', csv, '--set', 'hiddenSize=-3', '--set', 'cell=foo'),
      1,
      /^ConfigError: Invalid config for 'zoo:rnn-classifier': - cell: .*"foo".*- hiddenSize: .*-3 See `seqzoo describe zoo:rnn-classifier`/,
    ],
    [
      'bad --config file',
      () => train('--data', csv, '--config', join(dir, 'nope.json')),
      1,
      /^CliError: --config .*nope\.json/,
    ],
    [
      'missing data file',
      () => train('--data', join(dir, 'missing.csv')),
      1,
      /^CliError: --data .*missing\.csv: no such file; give the path of a readable file\.$/,
    ],
    [
      'malformed CSV row',
      () => train('--data', files.badRow, ...tiny),
      1,
      /^ReaderError: --data .*bad-row\.csv: Line 3: .*Fix that row of the file\.$/,
    ],
    [
      'missing --text-column',
      () => train('--data', files.otherColumns, ...tiny),
      1,
      /^DataArgumentError: --data .*other-columns\.csv: Column 'text' is not in the header .*'message', 'category'.*--text-column and --label-column\.$/,
    ],
    [
      'unknown backend',
      () => train('--data', csv, '--text-column', 'message', '--backend', 'tpu'),
      1,
      /^UnknownBackendError: Unknown backend 'tpu'\. Use one of: auto, .*cpu\.$/,
    ],
    [
      'unavailable backend',
      () => train('--data', csv, '--text-column', 'message', '--backend', 'tensorflow'),
      1,
      /^BackendUnavailableError: Backend 'tensorflow' is unavailable: .*not installed\. .*npm install @tensorflow\/tfjs-node$/,
    ],
    [
      'eval of a folder without model.json',
      () => ['eval', files.empty, '--data', csv, '--backend', 'cpu'],
      1,
      /^CliError: .*empty holds no saved model \(no model\.json\); give the --out folder of `seqzoo train`\.$/,
    ],
    [
      'predict of a folder without model.json',
      () => ['predict', files.empty, 'hello', '--backend', 'cpu'],
      1,
      /^CliError: .*empty holds no saved model/,
    ],
    [
      'truncated weights file',
      () => ['eval', files.truncated, '--data', csv, '--backend', 'cpu'],
      1,
      /^ModelFileError: .*truncated\/weights\.safetensors: .*Save the model again\.$/,
    ],
    [
      'safetensors header that lies about its length',
      () => ['predict', files.lyingHeader, 'hello', '--backend', 'cpu'],
      1,
      /^ModelFileError: .*lying-header\/weights\.safetensors: not a valid safetensors file \(HEADER_LENGTH_EXCEEDS_FILE: .*train, save or export the model again\.$/,
    ],
    [
      'import of a safetensors file whose offsets lie',
      () => [
        'import',
        files.lying,
        '--model',
        'zoo:rnn-classifier',
        '--vocabularies',
        join(model, 'model.json'),
        ...tiny,
        '--out',
        join(dir, 'imported'),
      ],
      1,
      /^ModelFileError: .*lying\.safetensors: not a valid safetensors file \(OFFSETS_OUT_OF_RANGE: /,
    ],
    [
      '--resume with no checkpoint',
      () =>
        train('--data', csv, '--text-column', 'message', ...tiny, '--resume', '--out', files.empty),
      1,
      /^CliError: --resume: .*empty holds no checkpoint .*train without --resume to start afresh\.$/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, code, pattern) => {
    expectOneLine(await seqzoo(...args()), code, pattern);
  });

  it('a diverging run (NaN loss) is one line naming the step and the flag to lower', async () => {
    const r = await seqzoo(
      ...train('--data', csv, '--text-column', 'message', ...tiny),
      '--lr',
      '1e38',
      '--epochs',
      '5',
      '--json',
      '--out',
      join(dir, 'diverged'),
    );
    expectOneLine(
      r,
      1,
      /^NonFiniteLossError: Training diverged at step \d+: loss NaN.*The update was not applied\..*with a lower --lr\.$/,
    );
    expect(r.stdout).toMatch(/"event":"start"/);
  });

  it('--debug adds the stack trace after the one line', async () => {
    const r = await seqzoo('describe', 'zoo:nope', '--debug');
    expect(r.code).toBe(1);
    const [first, ...rest] = r.stderr.trim().split('\n');
    expect(first).toMatch(/^UnknownModelError: Unknown model 'zoo:nope'/);
    expect(rest.join('\n')).toMatch(/^UnknownModelError: [\s\S]*\n\s+at /);
  });
});
