import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCheckpoints, readCheckpoint } from './checkpoint';
import type { FitResult } from './fit';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'kill-child.fixture.ts');
let root: string;

beforeAll(async () => {
  await useBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqzoo-kill-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

function start(dir: string, delayMs: number): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@seqzoo/source', '--import', 'tsx', script, dir, String(delayMs)],
    {
      cwd: here,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

async function logged(dir: string): Promise<{ pid: number; step: number; loss: number }[]> {
  const text = await readFile(join(dir, 'log.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Every checkpoint folder visible right now must read back whole (sizes and SHA-256 match). */
async function checkAllComplete(ckptDir: string): Promise<number> {
  let checked = 0;
  for (const c of await listCheckpoints(ckptDir)) {
    try {
      const { weights, optimizer } = await readCheckpoint(c.path);
      for (const t of [...weights.values(), ...optimizer.values()]) t.dispose();
      checked++;
    } catch (e) {
      // pruned between listing and reading: gone whole, which is fine; anything else is not
      if (await stat(c.path).catch(() => null)) throw e;
    }
  }
  return checked;
}

describe('SIGKILL mid-run, then resume', () => {
  it('ends with the uninterrupted run’s loss, and no checkpoint is ever half-written', async () => {
    const straightDir = await mkdtemp(join(root, 'straight-'));
    const straight = await exited(start(straightDir, 0));
    expect(straight.code, straight.stderr).toBe(0);
    const expected: FitResult = JSON.parse(
      await readFile(join(straightDir, 'result.json'), 'utf8'),
    );
    expect(expected.steps).toBe(40);

    const dir = await mkdtemp(join(root, 'killed-'));
    let inspections = 0;
    for (const killAt of [9, 23]) {
      const child = start(dir, 25);
      const done = exited(child);
      // Watch the checkpoints while the child writes them; kill it once it passes `killAt`.
      for (;;) {
        inspections += await checkAllComplete(join(dir, 'ckpt'));
        const log = await logged(dir);
        if (log.some((l) => l.pid === child.pid && l.step >= killAt)) break;
        if (child.exitCode !== null) throw new Error(`child exited early: ${(await done).stderr}`);
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
      }
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      inspections += await checkAllComplete(join(dir, 'ckpt'));
    }
    const last = await exited(start(dir, 0));
    expect(last.code, last.stderr).toBe(0);
    const resumed: FitResult = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8'));

    expect(inspections).toBeGreaterThan(3);
    expect(resumed.steps).toBe(40);
    expect(resumed.firstStep).toBeGreaterThan(1);
    expect(Math.abs(resumed.losses.at(-1)! - expected.losses.at(-1)!)).toBeLessThan(1e-6);
    const tail = expected.losses.slice(resumed.firstStep - 1);
    expect(Math.max(...resumed.losses.map((l, i) => Math.abs(l - tail[i])))).toBeLessThan(1e-6);
    // every step any process logged, killed ones included, agrees with the uninterrupted run
    for (const l of await logged(dir))
      expect(Math.abs(l.loss - expected.losses[l.step - 1])).toBeLessThan(1e-6);
    expect(resumed.history.map((h) => h.loss)).toEqual(expected.history.map((h) => h.loss));
  }, 180_000);
});
