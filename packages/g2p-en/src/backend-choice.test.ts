// Its own file (its own worker): no backend is set here when the model loads.
import { currentBackend } from '@seqzoo/backend';
import { expect, it } from 'vitest';
import { loadG2P } from './g2p';

it('with no backend set by the app, one is picked and info.backend.reason says so', async () => {
  expect(currentBackend()).toBeNull();
  const g2p = await loadG2P({ dictionary: false });
  expect(g2p.info.backend.reason).toMatch(/^no backend was set, so auto/);
  expect(currentBackend()?.backend).toBe(g2p.info.backend.backend);
  g2p.dispose();
});
