import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeploymentTargetRecord, DeploymentTargetSpec, parseDottedPath, PushOutcome, VerifyOutcome } from '../../../../src/shared/deployment-targets';
import { withPush } from '../../../../src/shared/target-push';
import { push, tempDirs, verify } from './target-test-kit';

const tmp = tempDirs();
const ok = (input: unknown) => DeploymentTargetSpec.safeParse(input).success;

describe('deployment target spec (the one stored shape)', () => {
  it('fills the defaults: GitLab masked, raw, unhidden, scope *; Vault mount secret', () => {
    expect(DeploymentTargetSpec.parse({ kind: 'gitlab-variable', workspaceId: 'w', level: 'project', owner: 'g/p', key: 'K' })).toEqual({
      kind: 'gitlab-variable',
      workspaceId: 'w',
      level: 'project',
      owner: 'g/p',
      key: 'K',
      environmentScope: '*',
      masked: true,
      hidden: false,
      raw: true,
    });
    expect(DeploymentTargetSpec.parse({ kind: 'vault-kv', workspaceId: 'w', path: 'apps/ci', key: 'token' })).toMatchObject({ mount: 'secret' });
  });

  it('refuses what the services or formats would refuse', () => {
    expect(ok({ kind: 'dotenv', path: 'relative/.env', key: 'K' })).toBe(false);
    expect(ok({ kind: 'dotenv', path: '/abs/.env', key: '1K' })).toBe(false);
    expect(ok({ kind: 'npmrc', path: '/abs/.npmrc', key: 'registry.npmjs.org' })).toBe(false);
    expect(ok({ kind: 'npmrc', path: '/abs/.npmrc', key: '//registry.npmjs.org/' })).toBe(true);
    expect(ok({ kind: 'json', path: '/abs/a.json', key: 'a..b' })).toBe(false);
    expect(ok({ kind: 'docker', path: '/abs/config.json', key: 'ghcr.io', user: 'a:b' })).toBe(false);
    expect(ok({ kind: 'gitlab-variable', workspaceId: 'w', level: 'project', owner: '7', key: 'A-B' })).toBe(false);
    expect(ok({ kind: 'github-secret', workspaceId: 'w', level: 'repo', owner: 'no-slash', name: 'T' })).toBe(false);
    expect(ok({ kind: 'github-secret', workspaceId: 'w', level: 'repo', owner: 'o/r', name: 'GITHUB_T' })).toBe(false);
    expect(ok({ kind: 'github-secret', workspaceId: 'w', level: 'org', owner: 'o', name: 'T', visibility: 'selected' })).toBe(true);
    expect(ok({ kind: 'gitea-secret', workspaceId: 'w', level: 'user', owner: 'someone', name: 'T' })).toBe(false);
    expect(ok({ kind: 'gitea-secret', workspaceId: 'w', level: 'repo', owner: 'o/r', name: 'ci' })).toBe(false);
    expect(ok({ kind: 'vault-kv', workspaceId: 'w', path: 'a b', key: 'k' })).toBe(false);
    expect(ok({ kind: 'dotenv', path: '/abs/.env', key: 'K', extra: 1 })).toBe(false);
  });

  it('dotted paths: \\. is a literal dot, empty parts are refused', () => {
    expect(parseDottedPath('a.b\\.c.0')).toEqual(['a', 'b.c', '0']);
    expect(parseDottedPath('x\\\\.y')).toEqual(['x\\', 'y']);
    expect(parseDottedPath('a..b')).toBeNull();
    expect(parseDottedPath('.a')).toBeNull();
  });

  it('real outcomes match the stored schemas; a failed push keeps the last good receipt', async () => {
    const path = join(tmp(), '.env');
    const written = await push({ kind: 'dotenv', path, key: 'K' }, 'v1');
    const failed = await push({ kind: 'dotenv', path: join(tmp(), 'no', '.env'), key: 'K' }, 'v1');
    const checked = await verify({ kind: 'dotenv', path, key: 'K' }, 'v1');
    expect(PushOutcome.parse(written)).toEqual(written);
    expect(PushOutcome.parse(failed)).toEqual(failed);
    expect(VerifyOutcome.parse(checked)).toEqual(checked);
    const record = DeploymentTargetRecord.parse({ id: 't1', tokenId: 'k1', spec: { kind: 'dotenv', path, key: 'K' }, createdAt: new Date().toISOString(), lastPush: null, lastReceipt: null, lastVerify: null });
    const receipt = { remoteUpdatedAt: '2026-12-01T10:00:00Z', version: null };
    const afterGood = withPush(record, { status: 'written', at: 'now', change: 'updated', fileCreated: false, requoted: false, occurrences: 1, receipt });
    const afterBad = withPush(afterGood, failed);
    expect(afterBad.lastPush).toEqual(failed);
    expect(afterBad.lastReceipt).toEqual(receipt);
    expect(DeploymentTargetRecord.parse(afterBad)).toEqual(afterBad);
  });
});
