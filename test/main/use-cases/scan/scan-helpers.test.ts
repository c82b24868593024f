import { describe, expect, it } from 'vitest';
import { candidateLength, ISSUER_PREFIXES } from '../../../../src/main/use-cases/scan/issuer-prefixes';
import { encodedForms } from '../../../../src/main/use-cases/scan/secret-encodings';
import { suggestTarget } from '../../../../src/main/use-cases/scan/target-suggestion';

const prefix = (p: string) => ISSUER_PREFIXES.find((x) => x.prefix === p) ?? (() => { throw new Error(p); })();
const at = (text: string, p: string) => {
  const buf = Buffer.from(text);
  const start = buf.indexOf(p);
  return candidateLength(buf, start, start + p.length, buf.length, prefix(p));
};

describe('issuer prefixes', () => {
  it('takes a documented prefix at a word start with a body of the documented shape', () => {
    expect(at(`x=ghp_${'a'.repeat(36)} y`, 'ghp_')).toBe(40);
    expect(at(`x=ghp_${'a'.repeat(35)} y`, 'ghp_')).toBe(0); // too short
    expect(at(`x=ghp_${'a'.repeat(37)} y`, 'ghp_')).toBe(0); // too long for a classic token
    expect(at('a task-list-of-things-to-do-today-ok', 'sk-')).toBe(0); // not at a word start
    expect(at(`"sk-proj-${'Ab1_-'.repeat(8)}"`, 'sk-')).toBe(3 + 5 + 40);
    expect(at(`dop_v1_${'0f'.repeat(32)}`, 'dop_v1_')).toBe(71);
    expect(at(`dop_v1_${'zz'.repeat(32)}`, 'dop_v1_')).toBe(0); // not hex
  });
});

describe('secret encodings', () => {
  it('the base64 forms are found inside any base64 text that holds the secret', () => {
    const secret = 'glpat-Zx81mQ_secretValue42';
    const forms = encodedForms(secret).filter((f) => f.encoding === 'base64').map((f) => f.bytes.toString());
    expect(forms).toHaveLength(3);
    for (const before of ['', 'a', 'ab', 'user:', 'Basic creds for ']) {
      const b64 = Buffer.from(`${before}${secret}:after`).toString('base64');
      expect(forms.some((f) => b64.includes(f)), before).toBe(true);
    }
    expect(encodedForms('short').map((f) => f.encoding)).toEqual(['exact']);
    expect(encodedForms('a b/c"d').map((f) => f.encoding)).toEqual(['exact', 'url', 'json']);
  });
});

describe('target suggestions for scan --add', () => {
  it('dotenv, npmrc, docker, JSON and YAML files give the format and key a target needs', () => {
    const s = 'npm_SuggestSecret0123456789';
    expect(suggestTarget('/p/.env.production', `A=1\nexport NPM_TOKEN="${s}"\n`, 2, s)).toEqual({ file: '/p/.env.production', format: 'dotenv', key: 'NPM_TOKEN' });
    expect(suggestTarget('/h/.npmrc', `registry=x\n//npm.example.com/sub/:_authToken=${s}\n`, 2, s)).toEqual({ file: '/h/.npmrc', format: 'npmrc', key: '//npm.example.com/sub/' });
    const docker = JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from(`bob:${s}`).toString('base64') } } }, null, 2);
    expect(suggestTarget('/h/.docker/config.json', docker, 4, s)).toEqual({ file: '/h/.docker/config.json', format: 'docker', key: 'ghcr.io', user: 'bob' });
    expect(suggestTarget('/p/app.json', JSON.stringify({ a: { b: [1, { token: s }] } }), 1, s)).toEqual({ file: '/p/app.json', format: 'json', key: 'a.b.1.token' });
    const yaml = `# ci\nstages:\n  - build\ndeploy:\n  env:\n    NPM_TOKEN: ${s}\n`;
    expect(suggestTarget('/p/ci.yml', yaml, 6, s)).toEqual({ file: '/p/ci.yml', format: 'yaml', key: 'deploy.env.NPM_TOKEN' });
    expect(suggestTarget('/p/notes.md', `token ${s}`, 1, s)).toBeNull();
  });

  it('a secret written where a key belongs is no place to suggest (the key would carry it to the window)', () => {
    const s = `ghp_${'K'.repeat(36)}`;
    expect(suggestTarget('/p/.env', `${s}=1\n`, 1, s)).toBeNull();
    expect(suggestTarget('/p/ci.yml', `tokens:\n  ${s}: yes\n`, 2, s)).toBeNull();
  });
});
