import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP server on 127.0.0.1 (port 0) that plays a service's admin API as PROVIDERS.md describes it, with
 * latency, a server-side rate limit and injectable faults. Each service defines its routes on top.
 */
export interface ContractRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: unknown;
  params: string[];
}

export interface ContractResponse {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: ContractRequest) => ContractResponse | Promise<ContractResponse>;
export type Route = [method: string, path: RegExp, handler: Handler];

export type FaultKind =
  | 'delay' // wait `ms` before answering
  | 'status' // answer `status` (with Retry-After when `retryAfter` is set) instead of running the route
  | 'malformed' // 200 with broken JSON
  | 'oversized' // 200 with a JSON body of `bytes`
  | 'reset-after' // run the route (it takes effect), then drop the connection without an answer
  | 'reset-before' // drop the connection without running the route
  | 'respond'; // answer `response` as given (a service's own 429 headers, a crafted page)

export interface Fault {
  kind: FaultKind;
  method?: string;
  path?: RegExp;
  ms?: number;
  status?: number;
  retryAfter?: string;
  bytes?: number;
  /** `status` faults: extra headers (X-Retry-After, X-RateLimit-Reset...) and the service's own error body. */
  headers?: Record<string, string>;
  json?: unknown;
  response?: ContractResponse;
  /** How many requests it hits; default 1. */
  times?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export class ContractServer {
  private server: Server | null = null;
  url = '';
  readonly requests: LoggedRequest[] = [];
  private faults: Fault[] = [];
  latencyMs = 0;
  /** Runs before each request is answered: a test can act at the moment a call reaches the service. */
  onRequest: ((method: string, path: string) => void | Promise<void>) | null = null;
  /** Server-side limit (token bucket) answered with 429 + Retry-After, as the real services do. */
  rateLimit: { perSecond: number; burst: number } | null = null;
  /** How this service words a 429 from `rateLimit` (its own headers and body); default Retry-After seconds. */
  rateLimitAnswer: (waitSeconds: number) => ContractResponse = (wait) => ({ status: 429, headers: { 'retry-after': String(wait) }, json: { error: 'rate limited' } });
  private bucket = 0;
  private bucketAt = Date.now();

  constructor(private readonly routes: Route[], private readonly prefix = '') {}

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${this.prefix}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }

  private limited(): number | null {
    if (!this.rateLimit) return null;
    const now = Date.now();
    this.bucket = Math.max(0, this.bucket - ((now - this.bucketAt) / 1000) * this.rateLimit.perSecond);
    this.bucketAt = now;
    if (this.bucket + 1 > this.rateLimit.burst) return Math.ceil((this.bucket + 1 - this.rateLimit.burst) / this.rateLimit.perSecond);
    this.bucket += 1;
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, headers: req.headers, at: Date.now() });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    await this.onRequest?.(method, url.pathname);
    const send = (r: ContractResponse) => {
      const payload = r.text ?? (r.json === undefined ? '' : JSON.stringify(r.json));
      res.writeHead(r.status, { ...(r.json !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers });
      res.end(payload);
    };
    const wait = this.limited();
    if (wait !== null) return send(this.rateLimitAnswer(wait));

    const fault = this.takeFault(method, url.pathname);
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
    if (fault?.kind === 'status') {
      return send({ status: fault.status ?? 500, headers: { ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}), ...fault.headers }, json: fault.json ?? { error: 'injected' } });
    }
    if (fault?.kind === 'respond' && fault.response) return send(fault.response);
    if (fault?.kind === 'malformed') return send({ status: 200, text: '{"data": [ {"id": 1, ', headers: { 'content-type': 'application/json' } });
    if (fault?.kind === 'oversized') {
      const n = fault.bytes ?? 10 * 1024 * 1024;
      return send({ status: 200, text: `{"pad":"${'x'.repeat(n)}"}`, headers: { 'content-type': 'application/json' } });
    }
    if (fault?.kind === 'reset-before') return void req.socket.destroy();

    const route = this.routes.find(([m, p]) => m === method && p.test(url.pathname));
    let out: ContractResponse;
    if (!route) out = { status: 404, json: { error: 'no such route' } };
    else {
      const params = (url.pathname.match(route[1]) ?? []).slice(1).map(decodeURIComponent);
      try {
        out = await route[2]({ method, url, headers: req.headers, body, params });
      } catch (e) {
        out = { status: 500, json: { error: String(e) } };
      }
    }
    if (fault?.kind === 'reset-after') return void req.socket.destroy();
    send(out);
  }
}

export const bearer = (req: ContractRequest) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
export function basic(req: ContractRequest): [string, string] | undefined {
  const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const [u, ...p] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  return [u ?? '', p.join(':')];
}
export const randomSecret = (prefix: string, n = 20) => prefix + [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, '0')).join('');
