import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { createRegistry, loadModel } from '@seqzoo/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Seq2SeqModel, seq2seqPlugin } from './plugin';
import { seq2seqDatasets } from './task';

// The scale-out recipe of docs/outgrowing-one-machine.md, end to end: CMUdict pairs exported
// from seqzoo → the PyTorch twin trained by DistributedDataParallel in 2 processes
// (torchrun --standalone, gloo on the loopback) → safetensors + vocabularies → `seqzoo import` →
// `seqzoo eval`, whose metrics must be PyTorch's own evaluation of the same model.
// Debian's /usr/bin/python3 with python3-torch; skipped without torch unless SEQZOO_REQUIRE_TORCH=1.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../pytorch/ddp_train.py', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'apps/cli/src/cli.ts');
const hasTorch =
  spawnSync(PYTHON, ['-c', 'import torch.distributed.run'], { stdio: 'ignore' }).status === 0;
const run = hasTorch || process.env.SEQZOO_REQUIRE_TORCH === '1';

const TRAIN = 3000;
const TEST = 200;
const STEPS = 300;

/** Runs a command; rejects with its output when it fails. */
function sh(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`),
          );
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** The CLI from source in a child process, as a user runs `seqzoo`. */
const seqzoo = (...args: string[]) =>
  sh(process.execPath, ['--conditions=@seqzoo/source', '--import', 'tsx', CLI, ...args], {
    ...process.env,
    VK_ICD_FILENAMES: '',
  });

interface PythonEval {
  loss: number;
  wer: number;
  per: number;
  exactMatch: number;
  examples: number;
  words: number;
  outputs: Record<string, string>;
  processes: number;
}

interface SeqzooEval {
  modelId: string;
  examples: number;
  source: string;
  metrics: { loss: number; wer: number; per: number; exactMatch: number };
}

describe.runIf(run)(
  `the torchrun recipe: DDP-trained twin → seqzoo import → seqzoo eval${run ? '' : ' (skipped: /usr/bin/python3 has no torch; install python3-torch, or SEQZOO_REQUIRE_TORCH=1 to fail instead)'}`,
  () => {
    let dir: string;
    let torch: PythonEval;
    let seqzooEval: SeqzooEval;
    let torchrunLog: string;

    beforeAll(async () => {
      await useBackend('cpu');
      dir = mkdtempSync(join(tmpdir(), 'seqzoo-ddp-'));
      // The data, as a user exports it: CMUdict pairs (word → phonemes) from seqzoo's dataset;
      // the held-out pairs are the first of its test split, which `seqzoo eval --size` takes.
      const { train, test } = await seq2seqDatasets.cmudict.load({ size: TRAIN, seed: 0 });
      writeFileSync(
        join(dir, 'pairs.json'),
        JSON.stringify({ train, test: (test ?? []).slice(0, TEST) }),
      );

      // torch < 2 on Python 3.11 needs --redirects/--tee other than 0 (its parser maps 0 to None).
      const out = join(dir, 'run');
      const trained = await sh(
        PYTHON,
        [
          '-m',
          'torch.distributed.run',
          '--nproc_per_node',
          '2',
          '--standalone',
          '--redirects',
          '2',
          '--tee',
          '2',
          SCRIPT,
          '--data',
          join(dir, 'pairs.json'),
          '--out',
          out,
          '--steps',
          String(STEPS),
        ],
        // no __pycache__ left in the package's pytorch/ folder (it is published)
        { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      );
      torchrunLog = trained.stdout;
      torch = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8'));

      await seqzoo(
        'import',
        join(out, 'model.safetensors'),
        '--from',
        'pytorch',
        '--model',
        'seq2seq:attention',
        '--config',
        join(out, 'config.json'),
        '--vocabularies',
        join(out, 'vocabularies.json'),
        '--out',
        join(dir, 'imported'),
        '--backend',
        'cpu',
      );
      const evaluated = await seqzoo(
        'eval',
        join(dir, 'imported'),
        '--dataset',
        'cmudict',
        '--size',
        String(TEST),
        '--backend',
        'cpu',
        '--json',
      );
      seqzooEval = JSON.parse(evaluated.stdout);
    }, 900_000);
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('trains in 2 processes, and learns (loss falls; WER under 95 %, PER under 50 %)', () => {
      expect(torch.processes).toBe(2);
      const losses = [...torchrunLog.matchAll(/^step \d+\/\d+ loss ([\d.]+)/gm)].map((m) =>
        Number(m[1]),
      );
      expect(losses.length).toBe(STEPS / 50);
      expect(losses.at(-1)).toBeLessThan(losses[0] / 2);
      expect(torch.wer).toBeLessThan(0.95);
      expect(torch.per).toBeLessThan(0.5);
    });

    it("seqzoo eval of the imported model gives PyTorch's metrics on the same held-out words", () => {
      expect(seqzooEval).toMatchObject({
        modelId: 'seq2seq:attention',
        examples: TEST,
        source: 'cmudict/test',
      });
      expect(torch.examples).toBe(TEST);
      const { loss, wer, per } = torch;
      console.log('PyTorch', { loss, wer, per }, 'seqzoo eval', seqzooEval.metrics);
      // counts over the same words: equal; the loss: float32 sums in another order
      expect(seqzooEval.metrics.wer).toBeCloseTo(torch.wer, 12);
      expect(seqzooEval.metrics.exactMatch).toBeCloseTo(torch.exactMatch, 12);
      expect(seqzooEval.metrics.per).toBeCloseTo(torch.per, 12);
      expect(Math.abs(seqzooEval.metrics.loss - torch.loss)).toBeLessThan(1e-5);
    });

    it("the imported model's greedy output is PyTorch's for every held-out word", async () => {
      const registry = createRegistry({ plugins: [seq2seqPlugin] });
      const { model } = await loadModel<Seq2SeqModel>(registry, join(dir, 'imported'), {
        backend: 'cpu',
      });
      const words = Object.keys(torch.outputs);
      expect(words.length).toBe(torch.words);
      model.eval();
      const out = model.translator.translate(words, { method: 'greedy' });
      const mine = Object.fromEntries(words.map((w, i) => [w, out[i][0].outputTokens.join(' ')]));
      expect(mine).toEqual(torch.outputs);
      model.dispose();
    });
  },
);
