// A throwaway npm registry for the release rehearsal: Verdaccio on 127.0.0.1 (a free port), its
// storage, config and users in a folder of ours, no uplinks (nothing is proxied: what is not
// published to it does not exist), one user whose token goes in a .npmrc of ours.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  token: string;
  /** A user config naming only this registry and its token. */
  npmrc: string;
  /** The packument (all versions and dist-tags) of a package, or null if it has none. */
  packument(name: string): Promise<Packument | null>;
  /** Verdaccio's log so far (warnings and errors). */
  log(): string;
  stop(): Promise<void>;
}

export interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<
    string,
    Record<string, unknown> & {
      version: string;
      dependencies?: Record<string, string>;
      dist: { tarball: string; integrity: string };
    }
  >;
}

const config = (
  storage: string,
  log: string,
) => `# the release rehearsal's registry (scripts/rehearsal/registry.ts)
storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 1
# JWT tokens: checked with a signature; the default (legacy) tokens make every request verify the
# password with bcrypt, a third of a second of CPU each.
security:
  api:
    jwt:
      sign:
        expiresIn: 1d
uplinks: {}
packages:
  '@*/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
web:
  enable: false
middlewares:
  audit:
    enabled: false
max_body_size: 500mb
server:
  keepAliveTimeout: 60
log:
  type: file
  path: ${JSON.stringify(log)}
  level: warn
`;

/** Starts the registry in `dir` (created if missing); `stop()` ends it. */
export async function startRegistry(dir: string): Promise<Registry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const logFile = join(dir, 'verdaccio.log');
  writeFileSync(logFile, '');
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config(join(dir, 'storage'), logFile));

  let stderr = '';
  const child: ChildProcess = fork(join(here, 'verdaccio-server.mjs'), [configFile], {
    cwd: dir,
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Verdaccio did not start in 60 s: ${stderr}`)),
      60_000,
    );
    child.once('message', (m: { port: number }) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited with ${code} before listening: ${stderr}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  const url = `http://127.0.0.1:${port}/`;

  try {
    // `npm adduser` over the CouchDB user API: Verdaccio's htpasswd plugin creates the user and
    // answers with a token.
    const res = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'rehearsal', password: 'rehearsal-password', type: 'user' }),
    });
    const body = (await res.json()) as { token?: string };
    if (!res.ok || !body.token) throw new Error(`adduser: ${res.status} ${JSON.stringify(body)}`);
    const token = body.token;
    const npmrc = join(dir, '.npmrc');
    writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return {
      url,
      token,
      npmrc,
      stop,
      log: () => readFileSync(logFile, 'utf8') + stderr,
      async packument(name) {
        const r = await fetch(`${url}${name.replace('/', '%2f')}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (r.status === 404) return null;
        if (!r.ok) throw new Error(`GET ${name}: ${r.status} ${await r.text()}`);
        return (await r.json()) as Packument;
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
