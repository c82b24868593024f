import { parseReference, type ReferenceSyntaxProblem, type SecretReference } from './secret-reference';

/** What resolving needs from the vault (the Vault class satisfies it). */
export interface ReferenceDirectory {
  workspaces: { list(): readonly { id: string; name: string }[] };
  tokens: {
    find(id: string): ReferencedToken | undefined;
    /**
     * A workspace's tokens named `name` exactly, else case-insensitively. Without the summaries in memory (the command
     * line) the vault reads only the rows its keyed name hash points at, so a reference opens one block of names, not
     * all 10,000 summaries.
     */
    findByName(workspaceId: string, name: string): readonly ReferencedToken[];
  };
}

export interface ReferencedToken {
  id: string;
  workspaceId: string;
  name: string;
  hasSecret: boolean;
}

/** Reads secrets and records each reading in the audit log, all in one step. */
export interface AuditedSecretReader {
  tokens: { readSecrets(ids: readonly string[], audit: { action: 'revealed'; actor: string; detail: string }): Map<string, string | null> };
}

export type ReferenceProblem =
  | ReferenceSyntaxProblem
  | 'unknown-workspace'
  | 'ambiguous-workspace'
  | 'unknown-token'
  | 'ambiguous-token'
  | 'no-secret';

export type ResolvedReference =
  | { ok: true; token: ReferencedToken; workspaceName: string }
  | { ok: false; problem: ReferenceProblem; reference: SecretReference | null; candidates: string[] };

/** Finds the one token a reference names (see referenceIndex for the rules). */
export function resolveReference(dir: ReferenceDirectory, text: string): ResolvedReference {
  return referenceIndex(dir)(text);
}

/**
 * A resolver over one snapshot of the workspaces and tokens. The workspace part matches a workspace id, else a name
 * exactly, else a name case-insensitively; the token part matches a token id in that workspace, else a name the same
 * way. Two matches at the same level are ambiguous (the ids are returned so the user can pick), never a guess.
 */
function referenceIndex(dir: ReferenceDirectory): (text: string) => ResolvedReference {
  const workspaces = dir.workspaces.list();
  const pick = <T>(all: readonly T[], id: (x: T) => string, name: (x: T) => string, wanted: string): T[] => {
    let found = all.filter((x) => id(x) === wanted);
    if (found.length === 0) found = all.filter((x) => name(x) === wanted);
    if (found.length === 0) found = all.filter((x) => name(x).toLowerCase() === wanted.toLowerCase());
    return found;
  };
  const tokensOf = (workspaceId: string, wanted: string): readonly ReferencedToken[] => {
    const byId = dir.tokens.find(wanted);
    if (byId && byId.workspaceId === workspaceId) return [byId];
    return dir.tokens.findByName(workspaceId, wanted);
  };
  return (text) => {
    const parsed = parseReference(text);
    if (!parsed.ok) return { ok: false, problem: parsed.problem, reference: null, candidates: [] };
    const ref = parsed.reference;
    const matches = pick(workspaces, (w) => w.id, (w) => w.name, ref.workspace);
    if (matches.length !== 1)
      return {
        ok: false,
        problem: matches.length === 0 ? 'unknown-workspace' : 'ambiguous-workspace',
        reference: ref,
        candidates: matches.map((w) => w.id),
      };
    const ws = matches[0] as { id: string; name: string };
    const tokens = pick(tokensOf(ws.id, ref.token), (t) => t.id, (t) => t.name, ref.token);
    if (tokens.length !== 1)
      return {
        ok: false,
        problem: tokens.length === 0 ? 'unknown-token' : 'ambiguous-token',
        reference: ref,
        candidates: tokens.map((t) => t.id),
      };
    const token = tokens[0] as ReferencedToken;
    if (!token.hasSecret) return { ok: false, problem: 'no-secret', reference: ref, candidates: [token.id] };
    return { ok: true, token, workspaceName: ws.name };
  };
}

export interface NamedReference {
  /** Where the reference was found: an environment variable's name, a template line... */
  name: string;
  text: string;
}

export type ResolvedSecrets =
  | {
      ok: true;
      /** name -> secret. */
      values: Map<string, string>;
      /** Each distinct token once (one audit entry each), with its secret. */
      tokens: { token: ReferencedToken; workspaceName: string; secret: string }[];
    }
  | { ok: false; failures: ({ name: string; text: string } & Extract<ResolvedReference, { ok: false }>)[] };

/**
 * Resolves every reference first and reads no secret unless all resolve, so a typo stops a run before anything is
 * revealed. Then reads each distinct token's secret once, audited once with `detail` (e.g. the command it is for).
 */
export function resolveSecrets(
  vault: ReferenceDirectory & AuditedSecretReader,
  wanted: readonly NamedReference[],
  audit: { actor: string; detail: string },
): ResolvedSecrets {
  const texts = new Set(wanted.map((w) => w.text));
  const resolve = referenceIndex(vault);
  // Each distinct reference is looked up once, however many variables carry it.
  const byText = new Map([...texts].map((text) => [text, resolve(text)]));
  const resolved = wanted.map((w) => ({ ...w, r: byText.get(w.text) as ResolvedReference }));
  const failures = resolved.flatMap(({ name, text, r }) => (r.ok ? [] : [{ name, text, ...r }]));
  if (failures.length > 0) return { ok: false, failures };
  const found = resolved.flatMap(({ name, text, r }) => (r.ok ? [{ name, text, token: r.token, workspaceName: r.workspaceName }] : []));
  const secrets = vault.tokens.readSecrets(
    found.map((f) => f.token.id),
    { action: 'revealed', ...audit },
  );
  const values = new Map<string, string>();
  const tokens = new Map<string, { token: ReferencedToken; workspaceName: string; secret: string }>();
  for (const f of found) {
    const secret = secrets.get(f.token.id);
    // Removed between the lookup and the read by another process: the run stops like any unresolvable one.
    if (secret === null || secret === undefined)
      return { ok: false, failures: [{ name: f.name, text: f.text, ok: false, problem: 'no-secret', reference: null, candidates: [f.token.id] }] };
    values.set(f.name, secret);
    tokens.set(f.token.id, { token: f.token, workspaceName: f.workspaceName, secret });
  }
  return { ok: true, values, tokens: [...tokens.values()] };
}
