// Child process of pool.test.ts: trains with 2 workers to one outcome and prints it; the
// process must then exit by itself (no worker left running).
import { useBackend } from '@seqzoo/backend';
import { createRegistry } from '@seqzoo/registry';
import { fitTask } from '../fit-task';
import { items } from '../fixtures.test-util';
import { fixturePlugin, fixtureTask } from './fixture-plugin.test-util';

const outcome = process.argv[2];
await useBackend('cpu');
const registry = createRegistry({ plugins: [fixturePlugin] });
const model = await registry.create('fixture:mlp', {
  inputSize: 4,
  hiddenSizes: [8],
  outputSize: 3,
});
const train = items(48);
if (outcome === 'error') train[30] = { x: [999, 0, 0, 0], y: 0 };
if (outcome === 'nan') train[30] = { x: [Number.NaN, 0, 0, 0], y: 0 };
const controller = new AbortController();
try {
  const r = await fitTask(
    model,
    fixtureTask,
    { train },
    {
      workers: 2,
      epochs: 3,
      batchSize: 48,
      signal: controller.signal,
      callbacks: { onBatchEnd: () => (outcome === 'abort' ? controller.abort() : undefined) },
    },
  );
  console.log(`${outcome}: ${r.stopReason}`);
} catch (error) {
  console.log(`${outcome}: ${(error as Error).name}`);
}
