import { parseReference, type ReferenceSyntaxProblem, type SecretReference } from './secret-reference';

/** What resolving needs from the vault (the Vault class satisfies it; tests may pass a real vault too). */
export interface ReferenceDirectory {
  listWorkspaces(): readonly { id: string; name: string }[];
  findToken(id: string): ReferencedToken | undefined;
  /** Exact name matches, else case-insensitive ones. */
  findTokensByName(workspaceId: string, name: string): readonly ReferencedToken[];
}

export interface ReferencedToken {
  id: string;
  workspaceId: string;
  name: string;
  hasSecret: boolean;
}

/** Reads a secret and records the reading in the audit log, in one step. */
export interface AuditedSecretReader {
  readSecret(id: string, audit: { action: 'revealed'; actor: string; detail: string }): string | null;
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

/**
 * Finds the one token a reference names. The workspace part matches a workspace id, else a name exactly, else a name
 * case-insensitively; the token part matches a token id in that workspace, else a name the same way. Two matches at
 * the same level are ambiguous (the ids are returned so the user can pick), never a guess.
 */
export function resolveReference(dir: ReferenceDirectory, text: string): ResolvedReference {
  const parsed = parseReference(text);
  if (!parsed.ok) return { ok: false, problem: parsed.problem, reference: null, candidates: [] };
  const ref = parsed.reference;
  const workspaces = dir.listWorkspaces();
  let matches = workspaces.filter((w) => w.id === ref.workspace);
  if (matches.length === 0) matches = workspaces.filter((w) => w.name === ref.workspace);
  if (matches.length === 0) matches = workspaces.filter((w) => w.name.toLowerCase() === ref.workspace.toLowerCase());
  if (matches.length !== 1)
    return {
      ok: false,
      problem: matches.length === 0 ? 'unknown-workspace' : 'ambiguous-workspace',
      reference: ref,
      candidates: matches.map((w) => w.id),
    };
  const ws = matches[0] as { id: string; name: string };
  const byId = dir.findToken(ref.token);
  const tokens = byId && byId.workspaceId === ws.id ? [byId] : dir.findTokensByName(ws.id, ref.token);
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
  const resolved = wanted.map((w) => ({ ...w, r: resolveReference(vault, w.text) }));
  const failures = resolved.flatMap(({ name, text, r }) => (r.ok ? [] : [{ name, text, ...r }]));
  if (failures.length > 0) return { ok: false, failures };
  const secrets = new Map<string, { token: ReferencedToken; workspaceName: string; secret: string }>();
  const values = new Map<string, string>();
  for (const { name, text, r } of resolved) {
    if (!r.ok) continue;
    let entry = secrets.get(r.token.id);
    if (!entry) {
      const secret = vault.readSecret(r.token.id, { action: 'revealed', ...audit });
      // Removed between the lookup and the read by another process: the run stops like any unresolvable one.
      if (secret === null) return { ok: false, failures: [{ name, text, ok: false, problem: 'no-secret', reference: null, candidates: [r.token.id] }] };
      entry = { token: r.token, workspaceName: r.workspaceName, secret };
      secrets.set(r.token.id, entry);
    }
    values.set(name, entry.secret);
  }
  return { ok: true, values, tokens: [...secrets.values()] };
}
