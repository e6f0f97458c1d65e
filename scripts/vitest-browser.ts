import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './chromium.ts';

/**
 * The Vitest project of a package's browser suite (`src/**\/*.browser.test.ts`), named
 * `<package>:browser`. Dependencies that the packages load on demand are pre-bundled, so that a
 * fresh run does not re-optimise (and reload the page) in the middle of a suite.
 */
export function browserProject(pkg: string, options: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ['@seqzoo/source'] },
    optimizeDeps: {
      include: [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs-core/dist/register_all_gradients',
        '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops',
        '@tensorflow/tfjs-backend-cpu',
        '@tensorflow/tfjs-backend-webgl',
        '@tensorflow/tfjs-backend-webgpu',
        'zod',
      ],
    },
    test: {
      name: `${pkg}:browser`,
      include: ['src/**/*.browser.test.ts'],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  });
}
