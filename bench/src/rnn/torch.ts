import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cell, Phase, SizeName } from './config';

const here = dirname(fileURLToPath(import.meta.url));

export interface TorchRow {
  cell: Cell;
  size: SizeName;
  phase: Phase;
  medianMs: number;
  minMs: number;
}

/** Runs torch-rnn.py with Debian's PyTorch (/usr/bin/python3); its own process, its own runs. */
export function torchRows(
  cells: Cell[],
  sizes: SizeName[],
  phases: Phase[],
  runs: number,
): TorchRow[] {
  const out = execFileSync(
    '/usr/bin/python3',
    [join(here, 'torch-rnn.py'), cells.join(','), sizes.join(','), phases.join(','), String(runs)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as TorchRow);
}

/** What BLAS PyTorch is using, for the record ('openblas' or 'reference/other'). */
export function torchBlas(): string {
  try {
    const maps = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import torch; torch.randn(64,64)@torch.randn(64,64); print(open("/proc/self/maps").read())',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return /openblas/i.test(maps)
      ? 'openblas'
      : /libblas/.test(maps)
        ? 'reference BLAS'
        : 'unknown';
  } catch {
    return 'unavailable';
  }
}
