import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

/** The very configuration `npm run lint` uses. */
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as Required<Pick<IConfiguration, 'forbidden' | 'options'>>;

/**
 * The layer rules `npm run lint` enforces (.dependency-cruiser.cjs), run on small trees written for the purpose: each
 * breach is caught by its rule, and a tree that follows the layers passes.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function violations(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tv-layers-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const { output } = await cruise(['src'], { ...config.options, baseDir: dir, validate: true, ruleSet: { forbidden: config.forbidden }, outputType: 'json' });
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

/** A tree that follows the layers: shell -> ipc -> use-cases -> vault (index) / providers -> shared. */
const layered: Record<string, string> = {
  'src/shared/result.ts': 'export type Result = { ok: boolean };\n',
  'src/main/errors.ts': "import type { Result } from '../shared/result';\nexport type Failure = Result;\n",
  'src/main/vault/index.ts': "export { Vault } from './db/vault';\n",
  'src/main/vault/db/vault.ts': "import type { Failure } from '../../errors';\nexport class Vault { f?: Failure; }\n",
  'src/main/providers/gitea-provider.ts': "import type { Result } from '../../shared/result';\nexport const gitea = (r: Result) => r;\n",
  'src/main/use-cases/ports.ts': 'export interface Clock { now(): Date }\n',
  'src/main/use-cases/rotation/rotate.ts': "import { Vault } from '../../vault';\nimport type { Clock } from '../ports';\nexport const rotate = (c: Clock) => new Vault() && c;\n",
  'src/main/ipc/handlers.ts': "import { rotate } from '../use-cases/rotation/rotate';\nexport const handlers = { rotate };\n",
  'src/main/shell/register.ts': "import { handlers } from '../ipc/handlers';\nexport const register = () => handlers;\n",
  'src/cli/commands/rotate-command.ts': "import { rotate } from '../../main/use-cases/rotation/rotate';\nexport const command = rotate;\n",
  'src/renderer/src/app.ts': "import type { Result } from '../../shared/result';\nexport const app = (r: Result) => r;\n",
  // The binary's entry, above the shell and the command line: it picks one.
  'src/app/index.ts': "import { register } from '../main/shell/register';\nimport { command } from '../cli/commands/rotate-command';\nexport const start = [register, command];\n",
};

describe('the layer rules (dependency-cruiser) keep imports one-way', () => {
  it('pass a tree that follows the layers', async () => {
    expect(await violations(layered)).toEqual([]);
  });

  it('catch a file-level cycle', async () => {
    const found = await violations({
      ...layered,
      'src/main/use-cases/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/main/use-cases/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(found).toContain('no-circular: src/main/use-cases/a.ts -> src/main/use-cases/b.ts');
  });

  it('catch a folder-level cycle without a file cycle (the old service/ <-> rotation/ loop), through type-only imports', async () => {
    const found = await violations({
      ...layered,
      // service/rotation-handlers.ts imports rotation/, which imports service/ports.ts: no file cycle, two folders in a loop.
      'src/main/service/ports.ts': 'export interface Clock { now(): Date }\n',
      'src/main/rotation/rotation-service.ts': "import type { Clock } from '../service/ports';\nexport type Rotation = Clock;\n",
      'src/main/service/rotation-handlers.ts': "import type { Rotation } from '../rotation/rotation-service';\nexport type Handler = Rotation;\n",
    });
    expect(found.filter((v) => v.startsWith('no-circular'))).toEqual([]);
    expect(found.some((v) => v.startsWith('no-folder-cycles: src/main/service'))).toBe(true);
  });

  it('catch a parent folder importing back from its subfolder (use-cases <-> use-cases/rotation)', async () => {
    const found = await violations({
      ...layered,
      'src/main/use-cases/rotation-handlers.ts': "import type { rotate } from './rotation/rotate';\nexport type Handler = typeof rotate;\n",
    });
    expect(found).toContain('use-cases-subfolders-build-on-the-root: src/main/use-cases/rotation-handlers.ts -> src/main/use-cases/rotation/rotate.ts');
  });

  it('catch an import that points up a layer', async () => {
    const found = await violations({
      ...layered,
      'src/main/use-cases/leak.ts': "import { handlers } from '../ipc/handlers';\nexport const leak = handlers;\n",
      'src/main/vault/db/leak.ts': "import type { Clock } from '../../use-cases/ports';\nexport type Leak = Clock;\n",
      'src/shared/leak.ts': "import type { Failure } from '../main/errors';\nexport type Leak = Failure;\n",
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'use-cases-not-to-ipc: src/main/use-cases/leak.ts -> src/main/ipc/handlers.ts',
        'vault-providers-reminders-not-up: src/main/vault/db/leak.ts -> src/main/use-cases/ports.ts',
        'shared-is-the-base: src/shared/leak.ts -> src/main/errors.ts',
      ]),
    );
  });

  it('catch a reach into the vault past its index, peers importing each other, and the renderer importing main', async () => {
    const found = await violations({
      ...layered,
      'src/main/use-cases/deep.ts': "import { Vault } from '../vault/db/vault';\nexport const deep = Vault;\n",
      'src/main/providers/peer.ts': "import { Vault } from '../vault';\nexport const peer = Vault;\n",
      'src/renderer/src/leak.ts': "import { handlers } from '../../main/ipc/handlers';\nexport const leak = handlers;\n",
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'vault-through-its-index: src/main/use-cases/deep.ts -> src/main/vault/db/vault.ts',
        'providers-peers-apart: src/main/providers/peer.ts -> src/main/vault/index.ts',
        'renderer-only-shared: src/renderer/src/leak.ts -> src/main/ipc/handlers.ts',
      ]),
    );
  });

  it('catch src/main reaching the command line (a folder loop), and anything importing the app entry', async () => {
    const found = await violations({
      ...layered,
      'src/main/shell/run-cli.ts': "import { command } from '../../cli/commands/rotate-command';\nexport const run = command;\n",
      'src/main/ipc/leak.ts': "import { start } from '../../app/index';\nexport const leak = start;\n",
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'main-not-to-presenters: src/main/shell/run-cli.ts -> src/cli/commands/rotate-command.ts',
        'app-entry-is-the-top: src/main/ipc/leak.ts -> src/app/index.ts',
      ]),
    );
  });
});
