import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function node(program: string) {
  return spawnSync(
    process.execPath,
    [
      '--conditions=@seqzoo/source',
      '--import',
      import.meta.resolve('tsx'),
      '--input-type=module',
      '-e',
      program,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

/** A child process that starts a backend, then fails the way an app's bug would. */
function crash(backend: string, how: 'throw' | 'reject') {
  const failure =
    how === 'throw'
      ? "setTimeout(() => { throw new Error('the app failed: 42'); }, 5);"
      : "Promise.reject(new Error('the app failed: 42'));";
  return node(`
    import { useBackend } from ${JSON.stringify(join(here, 'index.ts'))};
    await useBackend(${JSON.stringify(backend)});
    ${failure}
  `);
}

describe('errors after a backend starts', () => {
  it.each(['throw', 'reject'] as const)(
    'an uncaught %s after wasm shows the real error, not Emscripten glue',
    (how) => {
      const r = crash('wasm', how);
      expect(r.stderr).toContain('the app failed: 42');
      expect(r.stderr).not.toMatch(/WasmBackendModule|readyPromiseResolve/);
      expect(r.status).toBe(1);
    },
  );
});

describe('auto in Node', () => {
  it('keeps stderr clean: webgpu (Dawn) is not probed unless asked for by name', () => {
    const r = node(`
      import { useBackend } from ${JSON.stringify(join(here, 'index.ts'))};
      const info = await useBackend('auto');
      console.log(info.reason);
    `);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/webgpu: not probed in Node unless asked for by name/);
  });
});
