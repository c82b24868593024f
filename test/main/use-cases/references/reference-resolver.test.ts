import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveReference, resolveSecrets } from '../../../../src/main/use-cases/references/reference-resolver';
import { formatReference } from '../../../../src/main/use-cases/references/secret-reference';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../../src/main/vault';

const dir = mkdtempSync(join(tmpdir(), 'tv-refs-'));
let vault: Vault;
const ids: Record<string, string> = {};

beforeAll(async () => {
  vault = await Vault.create(join(dir, 'vault.db'), { password: 'resolver-password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
  const ws = (name: string) => vault.workspaces.findByName(name) ?? vault.workspaces.create({ kind: 'manual', name });
  for (const [w, n, s] of [
    ['gitlab.com/team', 'ci/release bot', 'secret-slash'],
    ['acme', 'Deploy', 'secret-deploy'],
    ['acme', 'twin', 'secret-twin-1'],
    ['acme', 'twin', 'secret-twin-2'],
    ['acme', 'bare', null],
    ['other', 'Deploy', 'secret-other'],
  ] as const)
    ids[`${w}/${n}`] = vault.tokens.insert({ workspaceId: ws(w).id, name: n, secret: s }).id;
});
afterAll(() => {
  vault.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('resolving references against a real vault', () => {
  it('finds tokens by name (exact, then any case) or id, within the named workspace', () => {
    const id = (text: string) => {
      const r = resolveReference(vault, text);
      return r.ok ? r.token.id : r.problem;
    };
    expect(id(formatReference('gitlab.com/team', 'ci/release bot'))).toBe(ids['gitlab.com/team/ci/release bot']);
    expect(id('tv://acme/Deploy')).toBe(ids['acme/Deploy']);
    expect(id('tv://ACME/deploy')).toBe(ids['acme/Deploy']);
    expect(id(`tv://acme/${ids['acme/twin'] ?? ''}`)).toBe(ids['acme/twin']);
    expect(id(`tv://${vault.workspaces.findByName('other')?.id ?? ''}/Deploy`)).toBe(ids['other/Deploy']);
    expect(id(`tv://other/${ids['acme/Deploy'] ?? ''}`)).toBe('unknown-token'); // an id from another workspace
    expect(id('tv://acme/twin')).toBe('ambiguous-token');
    expect(id('tv://acme/bare')).toBe('no-secret');
    expect(id('tv://nowhere/x')).toBe('unknown-workspace');
    expect(id('tv://gitlab.com/team/ci/release bot')).toBe('too-many-parts');
  });

  it('reads each distinct token once, with one audit entry each, and nothing when one reference fails', () => {
    const audits = () => vault.audit.list({ limit: 10_000 }).filter((a) => a.action === 'revealed').length;
    const before = audits();
    const failed = resolveSecrets(vault, [{ name: 'A', text: 'tv://acme/Deploy' }, { name: 'B', text: 'tv://acme/nope' }], { actor: 'test', detail: 'run: x' });
    expect(failed.ok).toBe(false);
    expect(audits()).toBe(before);
    const r = resolveSecrets(
      vault,
      [
        { name: 'A', text: 'tv://acme/Deploy' },
        { name: 'B', text: 'tv://acme/deploy' },
        { name: 'C', text: formatReference('gitlab.com/team', 'ci/release bot') },
      ],
      { actor: 'test', detail: 'run: x' },
    );
    expect(r.ok && Object.fromEntries(r.values)).toEqual({ A: 'secret-deploy', B: 'secret-deploy', C: 'secret-slash' });
    expect(audits()).toBe(before + 2);
    expect(vault.audit.list({ limit: 2 }).map((a) => a.detail)).toEqual(['run: x', 'run: x']);
  });

  it('resolves several references exactly as each alone, each distinct text looked up once by name', () => {
    const texts = [
      formatReference('gitlab.com/team', 'ci/release bot'),
      'tv://acme/Deploy',
      'tv://ACME/deploy',
      `tv://acme/${ids['acme/twin'] ?? ''}`,
      `tv://${vault.workspaces.findByName('other')?.id ?? ''}/Deploy`,
      `tv://other/${ids['acme/Deploy'] ?? ''}`,
      'tv://acme/twin',
      'tv://acme/bare',
      'tv://acme/nope',
      'tv://nowhere/x',
    ];
    const alone = texts.map((text) => resolveReference(vault, text));
    const calls = { findByName: 0 };
    const counted = {
      workspaces: vault.workspaces,
      tokens: {
        find: (id: string) => vault.tokens.find(id),
        findByName: (workspaceId: string, name: string) => (calls.findByName++, vault.tokens.findByName(workspaceId, name)),
        readSecrets: vault.tokens.readSecrets.bind(vault.tokens),
      },
    };
    const r = resolveSecrets(counted, [...texts, ...texts].map((text, i) => ({ name: `V${i}`, text })), { actor: 'test', detail: 'run: x' });
    expect(r.ok).toBe(false);
    const failures = r.ok ? [] : r.failures;
    const together = new Map(failures.map((f) => [f.text, f.problem]));
    for (const [i, text] of texts.entries()) {
      const a = alone[i];
      if (a?.ok) expect(together.has(text), text).toBe(false);
      else expect(together.get(text), text).toBe(a?.problem);
    }
    expect(failures.length).toBe(2 * together.size);
    // Each distinct reference looked up once (ids and unknown workspaces need no name lookup), never a full read.
    expect(calls.findByName).toBeLessThanOrEqual(texts.length);
    const one = resolveSecrets(counted, [{ name: 'A', text: 'tv://acme/Deploy' }], { actor: 'test', detail: 'run: x' });
    expect(one.ok && one.values.get('A')).toBe('secret-deploy');
  });

  it('readAllSecrets hands every stored secret for comparison, without an audit entry', () => {
    const before = vault.audit.list({ limit: 10_000 }).length;
    const all = vault.tokens.readAllSecrets();
    expect(all.size).toBe(5);
    expect([...all.values()].sort()).toEqual(['secret-deploy', 'secret-other', 'secret-slash', 'secret-twin-1', 'secret-twin-2']);
    expect(vault.audit.list({ limit: 10_000 }).length).toBe(before);
  });
});
