import { mergeConfig } from 'vitest/config';
import { browserProject } from '../../scripts/vitest-browser.ts';

// Cross-origin isolated pages (COOP + COEP on every response), as wasm's threads need
// SharedArrayBuffer: src/wasm-threads.browser.test.ts runs tfjs-backend-wasm's threaded build.
export default mergeConfig(browserProject('backend'), {
  server: {
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
});
