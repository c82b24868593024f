import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real Verdaccio 6.8 and Strapi 5.54, installed by test/servers/install-servers.mjs and started on 127.0.0.1 with a
 * free port and a temporary data dir. `stop()` kills the whole process group. Test files take Strapi from
 * leaseStrapi() (strapi-lease.ts): one per vitest run, lent to one file at a time.
 */
const HERE = dirname(fileURLToPath(import.meta.url));

export interface RealServer {
  url: string;
  stop(): Promise<void>;
  /** Milliseconds from spawn to ready (setup figure for the report). */
  startupMs: number;
}

export function serverInstalled(name: 'verdaccio' | 'strapi'): boolean {
  return existsSync(join(HERE, name, 'node_modules', '.bin', name));
}

/** A port nothing listens on (taken from the OS, then released): a closed port that fetch does not block. */
export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitFor(url: string, status: number, child: ChildProcess, log: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${log().slice(-2000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === status) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready at ${url}:\n${log().slice(-2000)}`);
}

function spawnGroup(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string } {
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  return { child, log: () => out };
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }, 3000);
  await exited;
  clearTimeout(timer);
}

export async function startVerdaccio(): Promise<RealServer> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'tv-verdaccio-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: 1000',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'middlewares:',
      '  audit:',
      '    enabled: false',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const bin = join(HERE, 'verdaccio', 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const { child, log } = spawnGroup(process.execPath, [bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], dir, { ...process.env });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/-/ping`, 200, child, log);
  return {
    url,
    startupMs: Date.now() - started,
    stop: async () => {
      await killGroup(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers a user on Verdaccio the way `npm adduser` does. */
export async function addVerdaccioUser(url: string, name: string, password: string): Promise<void> {
  const res = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  if (res.status !== 201) throw new Error(`adduser failed: ${res.status}`);
}

export interface StrapiServer extends RealServer {
  email: string;
  password: string;
  createUserMs: number;
}

export async function startStrapi(): Promise<StrapiServer> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'tv-strapi-'));
  const port = await freePort();
  const rnd = () => randomBytes(16).toString('base64');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_ENV: 'production',
    APP_KEYS: `${rnd()},${rnd()}`,
    API_TOKEN_SALT: rnd(),
    ADMIN_JWT_SECRET: rnd(),
    TRANSFER_TOKEN_SALT: rnd(),
    JWT_SECRET: rnd(),
    ENCRYPTION_KEY: rnd(),
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
    DATABASE_FILENAME: join(dir, 'data.db'),
  };
  const cwd = join(HERE, 'strapi');
  const bin = join(cwd, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
  const email = 'admin@example.com';
  const password = 'Adm1nPassw0rd';
  const create = spawnGroup(process.execPath, [bin, 'admin:create-user', '--email', email, '--password', password, '--firstname', 'Test', '--lastname', 'Admin'], cwd, env);
  const code = await new Promise<number | null>((r) => create.child.once('exit', r));
  if (code !== 0) throw new Error(`strapi admin:create-user failed (${code}):\n${create.log().slice(-2000)}`);
  const createUserMs = Date.now() - started;
  const { child, log } = spawnGroup(process.execPath, [bin, 'start'], cwd, env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/_health`, 204, child, log);
  return {
    url,
    email,
    password,
    createUserMs,
    startupMs: Date.now() - started,
    stop: async () => {
      await killGroup(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A pass-through proxy on 127.0.0.1 that records every request path: lets a test count logins on a real server. */
export async function countingProxy(target: string): Promise<{ url: string; paths: string[]; stop: () => Promise<void> }> {
  const paths: string[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    const upstream = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
