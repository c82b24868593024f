import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectWorkspace } from '../../../../src/main/use-cases/workspace-connection';
import { isLostCreate, type CreateTokenInput } from '../../../../src/main/providers/provider-types';
import { Vault } from '../../../../src/main/vault/vault';
import { noKeychain } from '../../../../src/main/vault/keys/keychain';
import { CHEAP_SCRYPT } from '../../../../src/main/vault/crypto/vault-crypto';
import type { NewWorkspace, TokenSummary, Workspace } from '../../../../src/main/vault/db/vault-types';

export const PASSWORD = 'rotation-test-password';
/** The cheapest scrypt the vault accepts (its floors), so tests and child processes unlock fast. */
export const TEST_KDF = CHEAP_SCRYPT;

export async function tempVault(): Promise<{ vault: Vault; path: string; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tv-rotation-'));
  const path = join(dir, 'vault.db');
  const vault = await Vault.create(path, { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: TEST_KDF });
  return { vault, path, dir, cleanup: () => { vault.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function reopen(path: string): Promise<Vault> {
  const vault = Vault.open(path, { keychain: noKeychain });
  await vault.keys.unlockWithPassword(PASSWORD);
  return vault;
}

/** Runs `fn` on a fresh handle on the vault file at `path` (as a second process would) and closes it. */
export async function withVaultAt<T>(path: string, fn: (vault: Vault) => Promise<T> | T): Promise<T> {
  const vault = await reopen(path);
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}

export function addWorkspace(vault: Vault, ws: NewWorkspace): Workspace {
  return vault.workspaces.create(ws);
}

/** Issues a token at the service and stores it, as `token create` does. */
export async function issueToken(vault: Vault, workspace: Workspace, input: CreateTokenInput): Promise<TokenSummary> {
  const { provider, ctx } = connectWorkspace(vault, workspace);
  const out = await provider.create(ctx, input);
  if (isLostCreate(out)) throw new Error(out.message);
  return vault.tokens.storeIssued({
    workspaceId: workspace.id,
    remoteId: out.token.remoteId,
    name: input.name,
    secret: out.secret,
    status: out.token.status,
    createdAt: out.token.createdAt ?? new Date().toISOString(),
    expiresAt: out.token.expiresAt,
    scopes: out.token.scopes,
    type: out.token.type,
  });
}
