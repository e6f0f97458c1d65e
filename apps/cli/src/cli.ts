import { run } from './program';
import { exitAfterDrain, guardStdio } from './stdio';

guardStdio();
// Every path leaves through exitAfterDrain: nothing written to a pipe is lost.
await exitAfterDrain(await run(process.argv.slice(2)));
