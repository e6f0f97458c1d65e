#!/usr/bin/env node
// `npm start`: installs dependencies if missing, builds, and runs the demo. For now the demo is
// the backend table with a matMul timing per backend; the seq2seq demo replaces it later.
import { execSync } from 'node:child_process';
import { ensureDependencies, root } from './ensure-setup.mjs';

ensureDependencies();
execSync('npx turbo run build --filter=seqzoo... --output-logs=errors-only', {
  cwd: root,
  stdio: 'inherit',
});
execSync('node apps/cli/dist/cli.js backends --bench', { cwd: root, stdio: 'inherit' });
