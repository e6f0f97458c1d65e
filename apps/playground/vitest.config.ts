import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'playground',
    environment: 'node',
    include: ['src/**/*.test.ts', '*.test.ts'],
    testTimeout: 150_000,
    hookTimeout: 150_000,
  },
});
