import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noKeychain, Vault } from '../../../src/main/vault';
import { newVault, PASSWORD, tempDirs } from './vault-support';

const tmp = tempDirs();
const open = (path: string) => Vault.open(path, { keychain: noKeychain });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** A vault with one workspace and one token, its data key unlocked. */
async function seeded(dir: string) {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'strapi', name: 'WsNameZebra', baseUrl: 'https://cms.zebra.example', adminCredential: 'AdminPassQuokka' });
  v.workspaces.setLogin(ws.id, '{"jwt":"JwtSessionWombat"}');
  const t = v.tokens.insert({ workspaceId: ws.id, name: 'TokenNameNarwhal', secret: 'SecretValueAxolotl123', notes: 'NotesOcelot', description: 'DescPangolin', url: 'https://url.lemur.example' });
  v.audit.append({ action: 'copied', tokenId: t.id, detail: 'DetailCapybara' });
  v.journal.put({ tokenId: t.id, step: 'created-new', payload: { secret: 'JournalSecretGecko' } });
  return { v, ws, t, path: join(dir, 'vault.db') };
}

const PLAIN = ['WsNameZebra', 'cms.zebra', 'AdminPassQuokka', 'JwtSessionWombat', 'TokenNameNarwhal', 'SecretValueAxolotl', 'NotesOcelot', 'DescPangolin', 'url.lemur', 'DetailCapybara', 'JournalSecretGecko', PASSWORD];

describe('vault at rest', () => {
  it('holds no secret and no user-written text in plain bytes: vault file, its WAL and the whole folder', async () => {
    const dir = tmp();
    const { v } = await seeded(dir);
    const scan = () => {
      const files = filesUnder(dir);
      expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
      for (const f of files) {
        const bytes = readFileSync(f);
        for (const s of PLAIN) {
          expect(bytes.includes(Buffer.from(s, 'utf8')), `${s} in ${f}`).toBe(false);
          expect(bytes.includes(Buffer.from(s, 'utf16le')), `${s} (utf16) in ${f}`).toBe(false);
        }
      }
    };
    scan(); // while open, with the WAL not yet checkpointed
    v.close();
    for (const f of filesUnder(dir)) for (const s of PLAIN) expect(readFileSync(f).includes(Buffer.from(s)), `${s} in ${f}`).toBe(false);
  });

  it('refuses a tampered secret and a ciphertext moved to another row', async () => {
    const dir = tmp();
    const { v, ws, t, path } = await seeded(dir);
    const other = v.tokens.insert({ workspaceId: ws.id, name: 'other', secret: 'OtherSecret' });
    v.close();
    const db = new Database(path);
    const blob = db.prepare('SELECT secret FROM tokens WHERE id = ?').pluck().get(t.id) as Buffer;
    db.prepare('UPDATE tokens SET secret = ? WHERE id = ?').run(blob, other.id); // moved
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    db.prepare('UPDATE tokens SET secret = ? WHERE id = ?').run(flipped, t.id); // tampered
    db.close();
    const again = open(path);
    await again.keys.unlockWithPassword(PASSWORD);
    expect(() => again.tokens.readSecret(t.id)).toThrow(expect.objectContaining({ code: 'vault-tampered' }));
    expect(() => again.tokens.readSecret(other.id)).toThrow(expect.objectContaining({ code: 'vault-tampered' }));
    again.close();
  });

  it('refuses a tampered block of token names and a moved workspace credential', async () => {
    const dir = tmp();
    const { v, ws, path } = await seeded(dir);
    const ws2 = v.workspaces.create({ kind: 'manual', name: 'two' });
    v.close();
    const db = new Database(path);
    const shard = db.prepare('SELECT blob FROM token_shards LIMIT 1').pluck().get() as Buffer;
    shard[40] = (shard[40] ?? 0) ^ 0xff;
    db.prepare('UPDATE token_shards SET blob = ?').run(shard);
    const cred = db.prepare('SELECT admin_credential FROM workspaces WHERE id = ?').pluck().get(ws.id) as Buffer;
    db.prepare('UPDATE workspaces SET admin_credential = ? WHERE id = ?').run(cred, ws2.id);
    db.close();
    const again = open(path);
    await again.keys.unlockWithPassword(PASSWORD);
    expect(() => again.tokens.list()).toThrow(expect.objectContaining({ code: 'vault-tampered' }));
    expect(() => again.workspaces.connection(ws2.id)).toThrow(expect.objectContaining({ code: 'vault-tampered' }));
    again.close();
  });

  it('types a truncated, a corrupted and a foreign file as vault-corrupt and leaves the bytes alone', async () => {
    const dir = tmp();
    const { v, path } = await seeded(dir);
    for (let i = 0; i < 300; i++) v.tokens.insert({ workspaceId: v.workspaces.list()[0]!.id, name: `t${i}`, notes: 'x'.repeat(200) });
    v.close();
    const original = readFileSync(path);

    truncateSync(path, Math.floor(original.length / 2) + 100);
    const truncated = readFileSync(path);
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'vault-corrupt' }));
    expect(readFileSync(path).equals(truncated)).toBe(true);

    const garbled = Buffer.from(original);
    garbled.fill(0x41, 0, 16); // header destroyed
    writeFileSync(path, garbled);
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'vault-corrupt' }));
    expect(readFileSync(path).equals(garbled)).toBe(true);

    const inner = Buffer.from(original);
    inner.fill(0xee, 4096, 4096 * 3); // pages 2-3 overwritten
    writeFileSync(path, inner);
    const err = await (async () => {
      const x = open(path);
      await x.keys.unlockWithPassword(PASSWORD);
      x.tokens.list();
      x.close();
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/vault-corrupt|vault-tampered/) });
    expect(readFileSync(path).equals(inner)).toBe(true);

    const foreign = join(dir, 'foreign.db');
    const fdb = new Database(foreign);
    fdb.exec('CREATE TABLE x (a)');
    fdb.close();
    const before = readFileSync(foreign);
    expect(() => open(foreign)).toThrow(expect.objectContaining({ code: 'vault-corrupt' }));
    expect(readFileSync(foreign).equals(before)).toBe(true);
  });

  it('refuses a file from a newer version without changing a byte', async () => {
    const dir = tmp();
    const { v, path } = await seeded(dir);
    v.close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = readFileSync(path);
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'vault-too-new' }));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('answers a wrong password with a clear error and a growing delay that a new process cannot skip', async () => {
    const dir = tmp();
    const { v, path } = await seeded(dir);
    v.close();
    const timings: number[] = [];
    for (let i = 0; i < 4; i++) {
      const fresh = open(path); // a new handle each time, as a new process would be
      const t0 = performance.now();
      await expect(fresh.keys.unlockWithPassword('wrong password')).rejects.toMatchObject({ code: 'wrong-password' });
      timings.push(performance.now() - t0);
      fresh.close();
    }
    // failures so far before each attempt: 0, 1, 2, 3 -> waits 0, 0, 0.5 s, 1 s
    expect(timings[2]).toBeGreaterThanOrEqual(450);
    expect(timings[3]).toBeGreaterThanOrEqual(950);
    const ok = open(path);
    await ok.keys.unlockWithPassword(PASSWORD); // waits ~2 s, then succeeds and resets the count
    ok.lock();
    await expect(ok.keys.unlockWithPassword('wrong again')).rejects.toMatchObject({ code: 'wrong-password', message: 'Wrong master password.' });
    ok.close();
  }, 20_000);

  it('wipes the data key on lock', async () => {
    const { v } = await seeded(tmp());
    const keyRef = (v as unknown as { core: { dataKey: Buffer } }).core.dataKey;
    expect(keyRef.some((b) => b !== 0)).toBe(true);
    v.lock();
    expect(keyRef.every((b) => b === 0)).toBe(true);
    expect(() => v.tokens.list()).toThrow(expect.objectContaining({ code: 'vault-locked' }));
    v.close();
  });

  it('keeps the audit log append-only', async () => {
    const { v, path } = await seeded(tmp());
    v.close();
    const db = new Database(path);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit SET action = 'x'").run()).toThrow(/append-only/);
    db.close();
  });
});
