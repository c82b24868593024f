import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { invokeChannels, INVOKE_CHANNELS } from '../../../src/shared/ipc-contract';

/**
 * Every IPC argument is bounded and closed: strings have a maximum length (or a fixed format), arrays a maximum
 * count, objects refuse unknown keys. A renderer that was compromised cannot push megabytes into a handler or smuggle
 * a field (`__proto__`, `adminCredential`) past the schema.
 */
type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

function problems(schema: unknown, path: string, out: string[]): void {
  const def = defOf(schema);
  const checks = ((def['checks'] as { _zod: { def: { check: string } } }[] | undefined) ?? []).map((c) => c._zod.def.check);
  switch (def.type) {
    case 'string':
      // A fixed format (an ISO date-time) bounds it as well as a maximum does.
      if (!checks.includes('max_length') && !checks.includes('length_equals') && def['format'] === undefined) out.push(`${path}: string without max`);
      return;
    case 'array':
      if (!checks.includes('max_length')) out.push(`${path}: array without max`);
      return problems(def['element'], `${path}[]`, out);
    case 'object': {
      const catchall = def['catchall'] as unknown;
      if (!catchall || defOf(catchall).type !== 'never') out.push(`${path}: object not strict`);
      for (const [k, v] of Object.entries(def['shape'] as Record<string, unknown>)) problems(v, `${path}.${k}`, out);
      return;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
      return problems(def['innerType'], path, out);
    case 'pipe':
      return problems(def['in'], path, out);
    case 'lazy':
      // Built on first use (shared schemas that most processes never parse with): the schema it stands for.
      return problems((schema as { _zod: { innerType: unknown } })._zod.innerType, path, out);
    case 'union':
      (def['options'] as unknown[]).forEach((o, i) => problems(o, `${path}|${i}`, out));
      return;
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'undefined':
    case 'null':
      return;
    default:
      out.push(`${path}: unchecked schema type ${def.type}`);
  }
}

describe('IPC argument schemas', () => {
  it.each(INVOKE_CHANNELS)('%s: bounded strings and arrays, strict objects', (channel) => {
    const out: string[] = [];
    problems(invokeChannels[channel].input as z.ZodType, channel, out);
    expect(out).toEqual([]);
  });

  it('the check itself catches an unbounded string, an unbounded array and a loose object', () => {
    const out: string[] = [];
    problems(z.object({ a: z.string(), b: z.array(z.string().max(3)).optional() }), 'probe', out);
    expect(out).toEqual(['probe: object not strict', 'probe.a: string without max', 'probe.b: array without max']);
    const inLazy: string[] = [];
    problems(z.lazy(() => z.object({ a: z.string() }).strict()), 'lazy', inLazy);
    expect(inLazy).toEqual(['lazy.a: string without max']);
  });

  it('vault:update-settings refuses __proto__ and constructor keys and pollutes nothing', () => {
    const schema = invokeChannels['vault:update-settings'].input;
    for (const raw of ['{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"clipboardClearSeconds":5,"__proto__":{"autoLockMinutes":0}}']) {
      expect(schema.safeParse(JSON.parse(raw)).success, raw).toBe(false);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
