// The replica's entry when seqzoo runs from its TypeScript sources (the monorepo's tests and
// scripts): worker threads do not inherit a loader registered with --import, so register tsx
// here and run replica.ts. Published builds start dist/replica.js directly.
import { tsImport } from 'tsx/esm/api';

await tsImport('./replica.ts', import.meta.url);
