// Runs Verdaccio from a config file on 127.0.0.1 and a free port the kernel picks, in a child
// process of the release rehearsal (scripts/rehearsal/registry.ts). It sends the port over IPC once
// it listens, and exits when its parent disconnects (the rehearsal ended, however it ended), so no
// registry outlives the test.
import { createRequire } from 'node:module';

const configPath = process.argv[2];
if (!configPath || !process.send) {
  console.error(
    'usage: started by scripts/rehearsal/registry.ts with a config path and an IPC channel',
  );
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));
// Verdaccio's own SIGTERM handler waits for keep-alive connections to close: a throwaway server
// need not.
const exit = () => process.exit(0);

const { runServer } = createRequire(import.meta.url)('verdaccio');
const server = await runServer(configPath);
process.removeAllListeners('SIGTERM');
process.on('SIGTERM', exit);
server.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
server.listen(0, '127.0.0.1', () => {
  process.send({ port: server.address().port });
});
