import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@seqzoo/source'] },
  ssr: { resolve: { conditions: ['@seqzoo/source'] } },
  test: {
    name: 'plot',
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['src/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
