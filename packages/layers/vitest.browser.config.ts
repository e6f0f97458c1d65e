import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';

// The browser suite: Debian's Chromium (never a downloaded browser), headless, with SwiftShader
// standing in for a GPU so that webgl runs for real without one (same flags as @seqzoo/backend).
const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

export default defineProject({
  resolve: { conditions: ['@seqzoo/source'] },
  // Pre-bundle what @seqzoo/backend imports on demand, so that a fresh run does not re-optimise
  // (and reload) in the middle of the suite.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  test: {
    name: 'layers:browser',
    include: ['src/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: chromiumArgs,
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
