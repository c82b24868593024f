import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from './cli-support';

/** Issue 12, the command line: --version, help CMD / CMD --help, "did you mean" for typos, errors that name the subcommand. */
beforeAll(() => ensureBuilt());
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('token-vault help and usage errors', () => {
  it('--version prints the version alone', () => {
    expect(cli(['--version'])).toMatchObject({ code: 0, stdout: `token-vault ${version}\n`, stderr: '' });
  });

  it('help CMD and CMD --help print that command\'s usage and details, not the whole list', () => {
    for (const args of [['help', 'list'], ['list', '--help'], ['--help', 'list']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: token-vault list \[--workspace W\]/);
      expect(r.stdout).toMatch(/--long/);
      expect(r.stdout).not.toMatch(/workspace add/);
    }
    const two = cli(['help', 'token', 'edit']);
    expect(two.code).toBe(0);
    expect(two.stdout).toMatch(/^Usage: token-vault token edit W\/N\|ID \[--name N\]/);
    expect(cli(['token', 'revoke', '--help']).stdout).toMatch(/--yes/);
  });

  it('a group alone lists its subcommands (help token: exit 0; bare token: exit 2)', () => {
    const help = cli(['help', 'token']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/token rotate/);
    expect(help.stdout).not.toMatch(/workspace sync/);
    const bare = cli(['token']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^token-vault token: which subcommand\?/);
  });

  it('a typo gets "did you mean" and exit 2, not the whole help', () => {
    const r = cli(['lsit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('token-vault: unknown command "lsit". Did you mean "list"? Run `token-vault help` for every command.\n');
    expect(r.stdout).toBe('');
    expect(cli(['ls']).stderr).toMatch(/Did you mean "list"\?/);
    expect(cli(['revoke', 'a/b']).stderr).toMatch(/Did you mean "token revoke"\?/);
    expect(cli(['help', 'lsit']).stderr).toMatch(/Did you mean "list"\?/);
    expect(cli(['frobnicate']).stderr).not.toMatch(/Did you mean/);
  });

  it('a wrong subcommand or option names the command it belongs to, and what was meant', () => {
    const sub = cli(['workspace', 'snyc', 'gl']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/^token-vault workspace: unknown subcommand "snyc". Did you mean "sync"\?/);
    const opt = cli(['list', '--stauts', 'expired']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/^token-vault list: unknown option --stauts. Did you mean "--status"\?/);
    const arg = cli(['token', 'edit']);
    expect(arg.code).toBe(2);
    expect(arg.stderr).toMatch(/^token-vault token edit: Missing argument/);
  });

  it('a failure names the command that failed', () => {
    const r = cli(['list', '--vault', '/nonexistent/vault.db']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^token-vault list: No vault at/);
  });
});
