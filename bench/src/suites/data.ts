// `npm run bench -- data`: streams a generated CSV through readCsv → map → batch (MB/s, peak RSS),
// side by side with csv-parse on the same file, each in its own Node process so that peak RSS is
// that pipeline's alone. Then padding waste of cmudict batches with and without bucketByLength.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Suite } from '../main';
import { parseFlags, writeResults } from '../util';

const WORDS =
  'the of and to in is was for on that with as by at from his her an which or be are this had not but were have they one all been their has more who its also after first new two other when time into'.split(
    ' ',
  );

/** Writes a CSV of about `mb` MB: id,text,label,score — a tenth of the texts quoted with commas, doubled quotes and line breaks. */
export function generateCsv(path: string, mb: number, seed = 1): { bytes: number; rows: number } {
  let s = seed >>> 0;
  const rand = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const fd = openSync(path, 'w');
  const target = mb * 1e6;
  let bytes = 0;
  let rows = 0;
  const header = 'id,text,label,score\n';
  writeSync(fd, header);
  bytes += header.length;
  let buf = '';
  while (bytes + buf.length < target) {
    const n = 4 + rand(24);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(WORDS[rand(WORDS.length)]);
    let text = words.join(' ');
    if (rand(10) === 0) {
      text = `"${text}, ""quoted""${rand(4) === 0 ? '\nsecond line' : ''}"`;
    }
    const line = `${rows},${text},${rand(5)},${(rand(10000) / 100).toFixed(2)}\n`;
    buf += line;
    rows++;
    if (buf.length > 1 << 22) {
      bytes += writeSync(fd, buf);
      buf = '';
    }
  }
  if (buf) bytes += writeSync(fd, buf);
  closeSync(fd);
  return { bytes, rows };
}

interface ChildResult {
  impl: string;
  rows: number;
  batches: number;
  seconds: number;
  mbPerS: number;
  /** CPU time (user + system) of the pipeline: less sensitive than wall time to a shared machine. */
  cpuSeconds: number;
  mbPerCpuS: number;
  peakRssMB: number;
  startRssMB: number;
}

/** Runs in a child process: one pipeline over the file, then prints a JSON line. */
async function child(impl: string, path: string, batchSize: number): Promise<void> {
  const { readCsv, Dataset } = await import('@seqzoo/data');
  const { fromFile } = await import('@seqzoo/data/node');
  const startRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  type Row = Record<string, string>;
  let rows: import('@seqzoo/data').Dataset<Row>;
  if (impl === 'seqzoo') rows = readCsv(fromFile(path));
  else if (impl === 'csv-parse') {
    const { parse } = await import('csv-parse');
    const { createReadStream } = await import('node:fs');
    rows = Dataset.fromIterable(
      () =>
        createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
          parse({ columns: true }),
        ) as AsyncIterable<Row>,
    );
  } else throw new Error(`Unknown impl '${impl}' (seqzoo, csv-parse).`);
  let n = 0;
  let batches = 0;
  for await (const b of rows
    .map((r: Row) => ({ text: r.text, label: Number(r.label), score: Number(r.score) }))
    .batch(batchSize)) {
    batches++;
    n += b.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const bytes = statSync(path).size;
  const out: ChildResult = {
    impl,
    rows: n,
    batches,
    seconds,
    mbPerS: bytes / 1e6 / seconds,
    cpuSeconds,
    mbPerCpuS: bytes / 1e6 / cpuSeconds,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
    startRssMB: startRss / 1e6,
  };
  console.log(JSON.stringify(out));
}

const here = fileURLToPath(import.meta.url);

function runChild(impl: string, path: string, batch: number): ChildResult {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@seqzoo/source', '--import', 'tsx', here, '--child', impl, path, String(batch)],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`${impl} child failed:\n${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as ChildResult;
}

const suite: Suite = {
  describe:
    'readCsv → map → batch MB/s and peak RSS vs csv-parse; cmudict padding waste (--size 64 MB, --impl seqzoo,csv-parse, --batch 64, --padding yes)',
  async run(argv) {
    const flags = parseFlags(argv, {
      size: '64',
      impl: 'seqzoo,csv-parse',
      batch: '64',
      padding: 'yes',
      keep: 'no',
    });
    const rows: unknown[] = [];
    const path = join(tmpdir(), `seqzoo-data-bench-${process.pid}.csv`);
    try {
      const t0 = performance.now();
      const gen = generateCsv(path, Number(flags.size));
      console.log(
        `generated ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${path}`,
      );
      for (const impl of flags.impl.split(',')) {
        const r = runChild(impl, path, Number(flags.batch));
        rows.push({ suite: 'csv', sizeMB: gen.bytes / 1e6, batch: Number(flags.batch), ...r });
        console.log(
          `${impl.padEnd(10)} ${r.rows} rows  ${r.seconds.toFixed(1)} s  ${r.mbPerS.toFixed(1)} MB/s (${r.mbPerCpuS.toFixed(1)} MB per CPU-s)  peak RSS ${r.peakRssMB.toFixed(0)} MB (after imports ${r.startRssMB.toFixed(0)} MB)`,
        );
      }
    } finally {
      if (flags.keep !== 'yes') rmSync(path, { force: true });
    }
    if (flags.padding === 'yes') rows.push(...(await paddingWaste()));
    writeResults(`data-${flags.size}mb`, rows);
  },
};
export default suite;

/**
 * Padding waste of cmudict (train split) batches: padding tokens / real tokens, for the letters
 * (source) and the phonemes (target), with plain paddedBatch and with bucketByLength.
 */
async function paddingWaste(batch = 64): Promise<unknown[]> {
  const { cmudict, charTokenizer, Vocab } = await import('@seqzoo/data');
  const train = await cmudict({ split: 'train' });
  const chars = charTokenizer();
  const letters = await Vocab.build(train.map((e) => chars.tokenize(e.word)));
  const phones = await Vocab.build(train.map((e) => e.phonemes));
  const pairs = train
    .map((e) => ({
      source: letters.encode(chars.tokenize(e.word)),
      target: phones.encode(e.phonemes, { bos: true, eos: true }),
    }))
    .shuffle(10_000, 1);
  type P = { shape: [number, number]; lengths: Int32Array };
  const waste = (bs: { source: P; target: P }[], key: 'source' | 'target') => {
    let slots = 0;
    let real = 0;
    for (const b of bs) {
      slots += b[key].shape[0] * b[key].shape[1];
      real += b[key].lengths.reduce((a, x) => a + x, 0);
    }
    return (slots - real) / real;
  };
  const rows: unknown[] = [];
  const plain = await pairs.paddedBatch(batch).toArray();
  const boundaries = [4, 5, 6, 7, 8, 9, 10, 12, 14];
  const bucketed = await pairs
    .bucketByLength(boundaries, [...boundaries.map(() => batch), batch], {
      lengthOf: (p) => p.source.length,
    })
    .toArray();
  for (const [mode, bs] of [
    ['paddedBatch', plain],
    ['bucketByLength', bucketed],
  ] as const) {
    const r = {
      suite: 'padding',
      dataset: 'cmudict train',
      mode,
      batch,
      batches: bs.length,
      lettersPadPerReal: waste(bs, 'source'),
      phonemesPadPerReal: waste(bs, 'target'),
      boundaries: mode === 'bucketByLength' ? boundaries : undefined,
    };
    rows.push(r);
    console.log(
      `${mode.padEnd(15)} ${bs.length} batches of ${batch}: padding/real letters ${r.lettersPadPerReal.toFixed(3)}, phonemes ${r.phonemesPadPerReal.toFixed(3)}`,
    );
  }
  return rows;
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === '--child'
) {
  await child(process.argv[3], process.argv[4], Number(process.argv[5]));
}
