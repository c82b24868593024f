'use strict';
// The least a `run -- true` with keychain unlock can cost in Node on this machine, for scale beside the bench's
// figure: the same native parts and system calls with none of Token Vault's own code. It loads better-sqlite3 and
// keytar, reads the keychain entry of the vault's slot (one Secret Service round trip, while SQLite opens), reads 200
// rows, runs 200 AES-256-GCM seals, commits one row to a scratch copy, and runs `true` with its output piped, as
// `run` masks it. Usage: node run-floor.cjs VAULT SCRATCH_DB
const { spawn } = require('node:child_process');
const { createCipheriv, randomBytes } = require('node:crypto');
const keytar = require('keytar');
const Database = require('better-sqlite3');

(async () => {
  const [vaultPath, scratchPath] = process.argv.slice(2);
  const db = new Database(vaultPath, { readonly: true, fileMustExist: true });
  const slot = db.prepare("SELECT params FROM key_slots WHERE kind = 'keychain'").get();
  const kek = keytar.getPassword('Token Vault', JSON.parse(slot.params).account);
  const rows = db.prepare('SELECT * FROM tokens LIMIT 200').all();
  db.close();
  if (!(await kek)) throw new Error('the keychain holds no key for this vault');
  const key = randomBytes(32);
  for (const row of rows) {
    const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
    c.update(JSON.stringify(row));
    c.final();
  }
  const scratch = new Database(scratchPath);
  scratch.pragma('journal_mode = WAL');
  scratch.pragma('synchronous = FULL');
  scratch.exec('CREATE TABLE IF NOT EXISTS floor_audit (at TEXT)');
  scratch.prepare('INSERT INTO floor_audit VALUES (?)').run(new Date().toISOString());
  scratch.close();
  const child = spawn('true', [], { stdio: ['inherit', 'pipe', 'pipe'] });
  child.stdout.on('data', () => undefined);
  child.stderr.on('data', () => undefined);
  child.on('close', (code) => {
    process.exitCode = code ?? 1;
  });
})();
