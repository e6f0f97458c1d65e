import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@seqzoo/source'] },
  ssr: { resolve: { conditions: ['@seqzoo/source'] } },
  test: {
    name: 'registry',
    environment: 'node',
    // As in a Node app: the Node entry hands the file system to the folder storage (the tests
    // import the sources by relative paths, not through the package's `node` export condition).
    setupFiles: ['./src/node.ts'],
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
