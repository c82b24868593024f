import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startStrapi, type StrapiServer } from './real-servers';

/**
 * One real Strapi for the whole vitest run, lent to one test file at a time.
 *
 * Starting Strapi costs ~20 s of CPU (admin:create-user, then start); three files need one. vitest's globalSetup
 * (this module's default export, in vitest.config.ts) runs a small lender on 127.0.0.1 in vitest's own process and
 * hands its address to the test files (`provide`/`inject`). The first file that asks starts Strapi (a run whose files
 * need none starts none); each lease then gets the server as a fresh one looks to a newcomer: the two API tokens Strapi
 * creates on a new install and nothing else, and an admin user of its own (its own email, so Strapi's login rate
 * limit, 5 per 5 minutes per email, counts each file's logins apart, as on a server of its own). Leases are
 * exclusive because the files assert what the whole server holds (the token list, what a sync imports): a second
 * file waits for the first to give the server back. A lease is a held-open request: it ends when the file calls
 * `stop()` or when its worker process dies, so a crashed file cannot keep the server.
 */

/** What Strapi 5.54 creates on a new install (@strapi/admin services/constants.js DEFAULT_API_TOKENS). */
const DEFAULT_API_TOKENS = [
  { name: 'Read Only', description: 'A default API token with read-only permissions, only used for accessing resources', type: 'read-only', lifespan: null },
  { name: 'Full Access', description: 'A default API token with full access permissions, used for accessing or modifying resources', type: 'full-access', lifespan: null },
] as const;

/** What a lease hands the test file (JSON on the held-open response's first line). */
export interface StrapiGrant {
  url: string;
  email: string;
  password: string;
  createUserMs: number;
  startupMs: number;
}

/** Admin API calls as the install's first admin (the one admin:create-user made). */
class RootAdmin {
  private jwt = '';
  constructor(private readonly server: StrapiServer) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.jwt) await this.login();
      const res = await fetch(`${this.server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.jwt}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status === 401 && attempt === 0) {
        this.jwt = ''; // the access token expired during a long run
        continue;
      }
      const text = await res.text();
      if (!res.ok) throw new Error(`Strapi ${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return (text ? JSON.parse(text) : null) as T;
    }
    throw new Error(`Strapi ${method} ${path}: refused twice`);
  }

  private async login(): Promise<void> {
    const res = await fetch(`${this.server.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: this.server.email, password: this.server.password }),
    });
    if (!res.ok) throw new Error(`Strapi root login: ${res.status} ${await res.text()}`);
    const { data } = (await res.json()) as { data: { token?: string; accessToken?: string } };
    this.jwt = data.accessToken ?? data.token ?? '';
  }
}

class StrapiLender {
  private server: Promise<{ strapi: StrapiServer; root: RootAdmin }> | null = null;
  private queue: (() => void)[] = [];
  private busy = false;
  private leases = 0;

  private start() {
    this.server ??= startStrapi().then((strapi) => ({ strapi, root: new RootAdmin(strapi) }));
    return this.server;
  }

  /** Waits for the server to be free, makes it look new, and adds this lease's own admin. */
  async lend(): Promise<StrapiGrant> {
    const asked = Date.now();
    if (this.busy) await new Promise<void>((r) => this.queue.push(r));
    this.busy = true;
    try {
      const { strapi, root } = await this.start();
      await this.reset(root, strapi.email);
      const email = `lease-${++this.leases}@example.com`;
      const password = strapi.password;
      const superAdmin = (await root.call<{ data: { id: number; code: string }[] }>('GET', '/admin/roles')).data.find((r) => r.code === 'strapi-super-admin');
      if (!superAdmin) throw new Error('Strapi has no super admin role');
      const created = await root.call<{ data: { registrationToken: string } }>('POST', '/admin/users', { firstname: 'Test', lastname: 'Admin', email, roles: [superAdmin.id] });
      const res = await fetch(`${strapi.url}/admin/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ registrationToken: created.data.registrationToken, userInfo: { firstname: 'Test', lastname: 'Admin', password } }),
      });
      if (!res.ok) throw new Error(`Strapi register ${email}: ${res.status} ${await res.text()}`);
      return { url: strapi.url, email, password, createUserMs: strapi.createUserMs, startupMs: Date.now() - asked };
    } catch (error) {
      this.release();
      throw error;
    }
  }

  release(): void {
    this.busy = false;
    this.queue.shift()?.();
  }

  /** Only the install's own tokens and admin are left: what the last lease made is gone. */
  private async reset(root: RootAdmin, rootEmail: string): Promise<void> {
    const tokens = (await root.call<{ data: { id: number; name: string }[] }>('GET', '/admin/api-tokens')).data;
    for (const t of tokens) if (!DEFAULT_API_TOKENS.some((d) => d.name === t.name)) await root.call('DELETE', `/admin/api-tokens/${t.id}`);
    for (const d of DEFAULT_API_TOKENS) if (!tokens.some((t) => t.name === d.name)) await root.call('POST', '/admin/api-tokens', d);
    const users = (await root.call<{ data: { results: { id: number; email: string }[] } }>('GET', '/admin/users?pageSize=100')).data.results;
    for (const u of users) if (u.email !== rootEmail) await root.call('DELETE', `/admin/users/${u.id}`);
  }

  async stop(): Promise<void> {
    const started = await this.server?.catch(() => null);
    await started?.strapi.stop();
  }
}

/** vitest globalSetup: the lender's address for the test files; Strapi itself starts on the first lease. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const lender = new StrapiLender();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let held = false;
    let gone = false;
    res.on('close', () => {
      gone = true;
      if (held) lender.release();
    });
    lender.lend().then(
      (grant) => {
        if (gone) return lender.release();
        held = true;
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write(`${JSON.stringify(grant)}\n`); // and the response stays open: the lease lasts while it does
      },
      (error: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(error.stack ?? error.message);
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  project.provide('strapiLender', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await lender.stop();
  };
}

