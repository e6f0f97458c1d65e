import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { checkedModelFiles, verifyModelFiles } from './model-files';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function pkg(): string {
  dir = mkdtempSync(join(tmpdir(), 'seqzoo-model-files-'));
  mkdirSync(join(dir, 'model'));
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  mkdirSync(join(dir, 'goldens'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ files: ['dist', 'model/'] }));
  const weights = Buffer.from([1, 2, 3, 4, 5]);
  const optimizer = Buffer.from([9, 8]);
  writeFileSync(join(dir, 'model', 'weights.safetensors'), weights);
  writeFileSync(join(dir, 'model', 'optimizer.safetensors'), optimizer);
  writeFileSync(
    join(dir, 'model', 'model.json'),
    JSON.stringify({
      format: 'seqzoo-model',
      weights: { file: 'weights.safetensors', bytes: 5, sha256: sha(weights) },
      optimizer: { file: 'optimizer.safetensors', bytes: 2, sha256: sha(optimizer), state: {} },
      training: { package: { source: { sha256: 'ab', bytes: 3 } } },
    }),
  );
  // A dependency's model is not this package's.
  writeFileSync(
    join(dir, 'node_modules', 'dep', 'model.json'),
    '{"weights":{"file":"x","sha256":"0"}}',
  );
  return dir;
}

it('finds the files that model.json checksums, and passes an intact copy', () => {
  const d = pkg();
  const files = checkedModelFiles(d);
  expect(files.map((f) => f.file).sort()).toEqual([
    'model/optimizer.safetensors',
    'model/weights.safetensors',
  ]);
  expect(verifyModelFiles(d, files)).toEqual([]);
});

it('takes the model that package.json declares (seqzoo.model) even when files leaves it out', () => {
  const d = pkg();
  writeFileSync(
    join(d, 'package.json'),
    JSON.stringify({ files: ['dist'], seqzoo: { model: './model/model.json' } }),
  );
  expect(checkedModelFiles(d)).toHaveLength(2);
  writeFileSync(join(d, 'package.json'), JSON.stringify({ files: ['dist'] }));
  expect(checkedModelFiles(d)).toEqual([]);
});

it('names a file that is missing, truncated or changed', () => {
  const d = pkg();
  const files = checkedModelFiles(d);
  writeFileSync(join(d, 'model', 'weights.safetensors'), Buffer.from([1, 2, 3, 4, 6]));
  rmSync(join(d, 'model', 'optimizer.safetensors'));
  expect(verifyModelFiles(d, files).sort()).toEqual([
    expect.stringMatching(
      /^model\/optimizer\.safetensors \(named by model\/model\.json\) is missing$/,
    ),
    expect.stringMatching(
      /^model\/weights\.safetensors has sha256 [0-9a-f]{64}, model\/model\.json says /,
    ),
  ]);
  writeFileSync(join(d, 'model', 'weights.safetensors'), Buffer.from([1, 2]));
  expect(verifyModelFiles(d, files)[0]).toBe(
    'model/weights.safetensors has 2 bytes, model/model.json says 5',
  );
});
