import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@seqzoo/source'] },
  ssr: { resolve: { conditions: ['@seqzoo/source'] } },
  test: {
    name: 'cli',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
