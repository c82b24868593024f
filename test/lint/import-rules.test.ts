import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the lint rules keep each module in its room', () => {
  it('fails on an electron import outside the shell and the preload', async () => {
    for (const file of ['src/app/index.ts', 'src/main/index.ts', 'src/main/vault/leak.ts', 'src/main/use-cases/leak.ts', 'src/main/ipc/leak.ts', 'src/cli/leak.ts', 'src/renderer/src/leak.ts', 'src/shared/leak.ts']) {
      expect(await restrictedImports(file, "import { app } from 'electron';\nexport const x = app;\n"), file).not.toEqual([]);
    }
  });

  it('allows electron in the shell and the preload', async () => {
    for (const file of ['src/main/shell/x.ts', 'src/preload/x.ts']) {
      expect(await restrictedImports(file, "import { app } from 'electron';\nexport const x = app;\n"), file).toEqual([]);
    }
  });

  it('keeps better-sqlite3 and keytar inside src/main/vault', async () => {
    for (const mod of ['better-sqlite3', 'keytar']) {
      expect(await restrictedImports('src/main/use-cases/leak.ts', `import m from '${mod}';\nexport const x = m;\n`)).not.toEqual([]);
      expect(await restrictedImports('src/main/shell/leak.ts', `import m from '${mod}';\nexport const x = m;\n`)).not.toEqual([]);
      expect(await restrictedImports('src/main/vault/store.ts', `import m from '${mod}';\nexport const x = m;\n`)).toEqual([]);
    }
  });

  it('keeps the renderer away from Node and main', async () => {
    expect(await restrictedImports('src/renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).not.toEqual([]);
    expect(await restrictedImports('src/renderer/src/x.ts', "import { Vault } from '../../main/vault/vault';\nexport const x = Vault;\n")).not.toEqual([]);
  });
});
