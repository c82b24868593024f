import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { HttpClient } from '../../../../src/main/providers/http/http-client';
import { pushToTarget, verifyTarget, type TargetDeps } from '../../../../src/main/use-cases/targets';
import { DeploymentTargetSpec, type DeploymentTargetInput, type PushOutcome, type VerifyOutcome } from '../../../../src/shared/deployment-targets';

/** A fresh temp folder per test, removed afterwards. */
export function tempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'tv-targets-'));
    made.push(d);
    return d;
  };
}

/** File targets need no connection; a remote call in a file test is a bug. */
export const fileDeps: TargetDeps = {
  connect: () => {
    throw new Error('a file target asked for a connection');
  },
};

export const spec = (input: DeploymentTargetInput) => DeploymentTargetSpec.parse(input);

export function writeFixture(path: string, text: string, mode = 0o640): void {
  writeFileSync(path, text);
  chmodSync(path, mode);
}

export const read = (path: string) => readFileSync(path, 'utf8');
export const modeOf = (path: string) => statSync(path).mode & 0o7777;

export async function push(target: DeploymentTargetInput, secret: string, deps: TargetDeps = fileDeps): Promise<PushOutcome> {
  return pushToTarget(spec(target), secret, deps);
}

export async function verify(target: DeploymentTargetInput, secret: string, deps: TargetDeps = fileDeps, since: Parameters<typeof verifyTarget>[3] = null): Promise<VerifyOutcome> {
  return verifyTarget(spec(target), secret, deps, since);
}

export function expectWritten(outcome: PushOutcome, change?: 'created' | 'updated' | 'unchanged'): Extract<PushOutcome, { status: 'written' }> {
  if (outcome.status !== 'written') throw new Error(`push failed: ${JSON.stringify(outcome.failure)}`);
  if (change) expect(outcome.change).toBe(change);
  return outcome;
}

export function expectRefused(outcome: PushOutcome, reason: string): Extract<PushOutcome, { status: 'failed' }> {
  if (outcome.status !== 'failed') throw new Error(`push succeeded (${outcome.change}) where it should have been refused (${reason})`);
  expect(outcome.failure).toMatchObject({ code: 'target-refused', reason });
  return outcome;
}

/** Deps whose one workspace talks to a test server: its own rate-limit bucket, fast backoff. */
export function remoteDeps(service: string, baseUrl: string, creds: { adminSecret: string | null; username?: string }): TargetDeps & { workspaceId: string } {
  const workspaceId = randomUUID();
  const http = new HttpClient({ service, baseUrl, workspaceId, rateLimit: { perSecond: 1000, burst: 1000 }, backoffBaseMs: 5, timeoutMs: 5_000 });
  return {
    workspaceId,
    connect: (id) => {
      if (id !== workspaceId) throw new Error(`unknown workspace ${id}`);
      return { workspace: { id, name: `${service} test`, baseUrl, username: creds.username ?? null, adminSecret: creds.adminSecret, options: {} }, http };
    },
  };
}
