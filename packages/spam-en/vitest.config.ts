import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@seqzoo/source'] },
  ssr: { resolve: { conditions: ['@seqzoo/source'] } },
  test: {
    name: 'spam-en',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
