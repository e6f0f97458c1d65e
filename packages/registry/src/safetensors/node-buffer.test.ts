import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from './encode';
import { safetensorsToTensors } from './tensors';

const file = encodeSafetensors(
  new Map([
    ['w', { dtype: 'float32', shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, -6]) }],
    ['i', { dtype: 'int32', shape: [2], values: new Int32Array([7, -8]) }],
  ] as const),
);

async function values(tensors: Map<string, tf.Tensor>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of tensors) {
    out[name] = Array.from(await t.data());
    t.dispose();
  }
  return out;
}

describe('safetensorsToTensors with views (issue 20 item 7)', () => {
  it('reads a Node Buffer that is a view into a larger pool', async () => {
    const buffer = Buffer.from(file); // small Buffers are slices of Node's shared pool
    expect(buffer.buffer.byteLength).toBeGreaterThan(buffer.byteLength);
    expect(await values(safetensorsToTensors(buffer).tensors)).toEqual({
      w: [1, 2, 3, 4, 5, -6],
      i: [7, -8],
    });
  });

  it('reads what fs.readFile returns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqzoo-buffer-'));
    try {
      await writeFile(join(dir, 'w.safetensors'), file);
      const bytes = await readFile(join(dir, 'w.safetensors'));
      expect(await values(safetensorsToTensors(bytes).tensors)).toEqual({
        w: [1, 2, 3, 4, 5, -6],
        i: [7, -8],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a Uint8Array view at an odd offset into a larger ArrayBuffer', async () => {
    const big = new Uint8Array(file.byteLength + 13).fill(0xee);
    big.set(file, 5);
    const view = big.subarray(5, 5 + file.byteLength);
    expect(await values(safetensorsToTensors(view).tensors)).toEqual({
      w: [1, 2, 3, 4, 5, -6],
      i: [7, -8],
    });
  });
});
