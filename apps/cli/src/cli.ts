import { run } from './program';

// Silence tfjs's console chatter about missing native backends: `seqzoo backends` says it better.
process.exitCode = await run(process.argv.slice(2));
// Some backends (Dawn for webgpu) keep handles open; the command is done, so leave.
process.exit();
