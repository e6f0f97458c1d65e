import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'release',
    environment: 'node',
    include: ['*.test.ts', 'rehearsal/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
