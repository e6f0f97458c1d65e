import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileSystemError, fileSystemError, oneLine } from './errors';
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
    headerOnly: join(dir, 'header-only.csv'),
    emptyLabel: join(dir, 'empty-label.csv'),
    emptyText: join(dir, 'e.txt'),
    loop: join(dir, 'loop.csv'),
    noWeights: join(dir, 'no-weights'),
  };

  beforeAll(async () => {
    writeFileSync(files.badRow, 'text,label\n"good film",pos\n"bad "film",neg\nok,pos\n');
    writeFileSync(files.otherColumns, 'message,category\nhello,a\nbye,b\n');
    mkdirSync(files.empty);
    writeFileSync(files.lying, lyingSafetensors());
    writeFileSync(files.headerOnly, 'text,label\n');
    writeFileSync(files.emptyLabel, 'text,label\ngood film,pos\nbad film,\nok film,neg\n');
    writeFileSync(files.emptyText, '');
    symlinkSync(`${files.loop}.b`, files.loop);
    symlinkSync(files.loop, `${files.loop}.b`);
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
    // model.json without its weights file
    cpSync(model, files.noWeights, { recursive: true });
    rmSync(join(files.noWeights, 'weights.safetensors'));
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
      /^CliError: train: 'zoo:mlp' declares no task \(what it learns from, its loss and metrics\), so seqzoo cannot train it; use its own API\.$/,
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
      /^CliError: .*empty holds no saved model \(no model\.json\); give the --out folder of `seqzoo train`, or the id of an installed pretrained package \(`seqzoo models` lists them\)\.$/,
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
      // the library's message is kept whole: the dotted tensor name is not cut at its '.'
      /^ModelFileError: .*lying\.safetensors: not a valid safetensors file \(OFFSETS_OUT_OF_RANGE: .*'embedding\.weight'.*\); it is damaged/,
    ],
    [
      'a CSV with a header and no rows',
      () => train('--data', files.headerOnly, ...tiny),
      1,
      /^CliError: --data .*header-only\.csv: holds no examples; give a CSV with a header row and at least one row under it\.$/,
    ],
    [
      'a text-pairs CSV with a header and no rows (seq2seq)',
      () => [
        'train',
        'seq2seq:attention',
        '--data',
        files.headerOnly,
        '--text-column',
        'text',
        '--label-column',
        'label',
        ...tiny,
      ],
      1,
      /^CliError: --data .*header-only\.csv: holds no examples/,
    ],
    [
      'an empty text file for a language model',
      () => ['train', 'zoo:char-lm', '--data', files.emptyText, '--max-minutes', '0.1', ...tiny],
      1,
      /^CliError: --data .*e\.txt: holds no examples; give a file with at least one non-blank line\.$/,
    ],
    [
      'an empty label',
      () => train('--data', files.emptyLabel, ...tiny),
      1,
      /^CliError: --data .*empty-label\.csv: row 2 has an empty label \(column 'label'\); give every row a label, or remove the row\.$/,
    ],
    [
      '--data is a directory (EISDIR)',
      () => train('--data', files.empty, ...tiny),
      1,
      /^FileSystemError: --data .*empty: is a directory, not a file \(EISDIR\); give the path of a file\.$/,
    ],
    [
      '--data is a symbolic-link loop (ELOOP)',
      () => train('--data', files.loop, ...tiny),
      1,
      /^FileSystemError: --data .*loop\.csv: is a symbolic link that loops .*\(ELOOP\); point the link at a real file\.$/,
    ],
    [
      'a model folder without its weights file',
      () => ['predict', files.noWeights, 'hello', '--backend', 'cpu'],
      1,
      /^\w+Error: .*no-weights\/weights\.safetensors/,
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

  it('a model folder without its weights file is not reported as a missing model.json', async () => {
    const r = await seqzoo('eval', files.noWeights, '--data', csv, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/no model\.json/);
  });

  it('--debug adds the stack trace after the one line', async () => {
    const r = await seqzoo('describe', 'zoo:nope', '--debug');
    expect(r.code).toBe(1);
    const [first, ...rest] = r.stderr.trim().split('\n');
    expect(first).toMatch(/^UnknownModelError: Unknown model 'zoo:nope'/);
    expect(rest.join('\n')).toMatch(/^UnknownModelError: [\s\S]*\n\s+at /);
  });
});

describe('file-system errors are typed and name the file', () => {
  it.each([
    [
      'ENOSPC',
      /^FileSystemError: --out \/m\/x: no space left on the device \(ENOSPC\); free some space or write elsewhere\.$/,
    ],
    [
      'EROFS',
      /^FileSystemError: --out \/m\/x: the file system is read-only \(EROFS\); write to a writable folder\.$/,
    ],
    ['EISDIR', /^FileSystemError: --out \/m\/x: is a directory, not a file \(EISDIR\)/],
    ['ELOOP', /^FileSystemError: --out \/m\/x: is a symbolic link that loops/],
  ])('%s', (code, pattern) => {
    const raw = Object.assign(new Error(`${code}: failed, open '/m/x'`), { code, path: '/m/x' });
    const typed = fileSystemError(raw, '/m/x', '--out');
    expect(typed).toBeInstanceOf(FileSystemError);
    expect(typed).toMatchObject({ code, path: '/m/x' });
    expect(oneLine(typed)).toMatch(pattern);
    // an untyped one reaching the top is typed there too (without the flag)
    expect(oneLine(raw)).toMatch(new RegExp(`^FileSystemError: /m/x: .*\\(${code}\\)`));
  });

  it('a file other than the one the flag gave is named, without the flag', () => {
    const raw = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', path: '/m/x/weights.tmp' });
    expect(oneLine(fileSystemError(raw, '/m/x', '--out'))).toMatch(
      /^FileSystemError: \/m\/x\/weights\.tmp: no space left/,
    );
  });
});
