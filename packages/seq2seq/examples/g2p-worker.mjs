// Worker threads do not inherit `--import tsx`: register tsx here, then run the TypeScript worker.
import { tsImport } from 'tsx/esm/api';

await tsImport('./g2p-worker.ts', import.meta.url);
