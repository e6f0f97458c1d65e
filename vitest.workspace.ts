// The test projects of the monorepo. Vitest 4 has no defineWorkspace: this file exports the list
// and vitest.config.ts passes it to `test.projects`. Browser projects are named `<pkg>:browser`.
export default [
  'packages/*/vitest.config.ts',
  'packages/*/vitest.browser.config.ts',
  'apps/*/vitest.config.ts',
  'scripts/vitest.config.ts',
];
