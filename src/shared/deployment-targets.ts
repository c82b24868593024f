import { z } from 'zod';
import { ERROR_CODES } from './result';
import { FILE_TARGET_KINDS, REMOTE_TARGET_KINDS, TARGET_KINDS, type FileTargetKind, type RemoteTargetKind, type TargetKind } from './target-kinds';

/**
 * Where a token is deployed: a file edited in place or a secret held by a remote service. One definition for the
 * vault (stored as JSON), the use cases that push and verify, and the window's "Used in" list.
 */

export { FILE_TARGET_KINDS, REMOTE_TARGET_KINDS, TARGET_KINDS, type FileTargetKind, type RemoteTargetKind, type TargetKind };

/** The kind of workspace (provider) whose admin credential writes each remote target. `github` has no token API yet. */
export const REMOTE_TARGET_SERVICE: Record<RemoteTargetKind, 'gitlab' | 'gitea' | 'github' | 'vault'> = {
  'gitlab-variable': 'gitlab',
  'gitea-secret': 'gitea',
  'github-secret': 'github',
  'vault-kv': 'vault',
};

export const isFileTargetKind = (kind: TargetKind): kind is FileTargetKind => (FILE_TARGET_KINDS as readonly string[]).includes(kind);

/**
 * The format a file's name says it has, or null when the name does not tell: `.npmrc`/`npmrc` npmrc,
 * `config.json` in a `.docker` folder docker, `*.json` json, `*.yaml`/`*.yml` yaml, `.env`, `.env.*` and `*.env`
 * dotenv. The one rule for the command line, the window and scan.
 */
export function fileTargetKindOf(path: string): FileTargetKind | null {
  const parts = path.split(/[\\/]/);
  const name = parts[parts.length - 1] ?? '';
  const folder = parts[parts.length - 2] ?? '';
  if (name === '.npmrc' || name === 'npmrc') return 'npmrc';
  if (name === 'config.json' && folder === '.docker') return 'docker';
  if (/\.json$/i.test(name)) return 'json';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (name === '.env' || name.startsWith('.env.') || /\.env$/i.test(name)) return 'dotenv';
  return null;
}

// The caller resolves a relative path before it builds a spec: a stored target must not depend on a working folder.
const AbsolutePath = z.lazy(() =>
  z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'Give the full path of the file.')
    .refine((p) => !p.includes('\0'), 'The path contains a NUL character.'),
);

/** dotenv keys as the common parsers read them (dotenv's `[\w.-]+`), not starting with a digit. */
export const DotenvKey = z.lazy(() => z.string().max(255).regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/, 'Use letters, digits, _ . or -, not starting with a digit.'));

/** An npm registry "nerf dart": `//host[:port]/path/`, the prefix of `:_authToken` lines in .npmrc. */
export const NpmRegistryPrefix = z.lazy(() => z.string().max(2000).regex(/^\/\/[^\s/:]+(:\d+)?(\/[^\s]*)?\/$/, 'Use the form //registry.example.com/ (with the trailing slash).'));

/**
 * The npm registry prefix for a registry URL or prefix, the way npm derives it (scheme, query, hash and
 * credentials dropped, a trailing slash added). Returns null for something that is not a registry address.
 */
export function npmRegistryPrefix(input: string): string | null {
  const raw = input.trim();
  if (raw === '') return null;
  const withScheme = raw.startsWith('//') ? `https:${raw}` : /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (!url.hostname) return null;
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  const prefix = `//${url.host}${path}`;
  return NpmRegistryPrefix.safeParse(prefix).success ? prefix : null;
}

/** A dotted path into a JSON or YAML document: `a.b.0.c`; a dot inside a key is written `\.`. */
export const DottedPath = z.lazy(() =>
  z
    .string()
    .min(1)
    .max(1000)
    .refine((p) => parseDottedPath(p) !== null, 'Use a dotted path such as services.api.token (no empty parts).'),
);

/** A dotted path from its segments, escaping dots and backslashes inside them. */
export const dottedPathOf = (segments: readonly string[]): string => segments.map((s) => s.replace(/[\\.]/g, (c) => `\\${c}`)).join('.');

/** The segments of a dotted path (`\.` is a literal dot, `\\` a backslash), or null when a segment is empty. */
export function parseDottedPath(path: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && (path[i + 1] === '.' || path[i + 1] === '\\')) {
      cur += path[i + 1];
      i++;
    } else if (c === '.') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.every((s) => s.length > 0) ? out : null;
}

/** A Docker registry as `auths` keys name it: `ghcr.io`, `registry.example.com:5000`, or Docker Hub's URL. */
export const DockerRegistry = z.lazy(() => z.string().max(2000).regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?(\/[^\s]*)?$/, 'Use a registry host such as ghcr.io or registry.example.com:5000.'));
// Docker splits `user:secret` at the first colon, so the user name cannot hold one.
const DockerUser = z.lazy(() => z.string().min(1).max(255).regex(/^[^:\s]+$/, 'A Docker user name cannot contain a colon or spaces.'));

/** GitHub Actions secret names (docs "Naming your secrets"); Gitea and Forgejo apply the same rules plus their own prefixes. */
export const ActionsSecretName = z.lazy(() =>
  z
    .string()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Use letters, digits and _, not starting with a digit.')
    .refine((n) => !/^GITHUB_/i.test(n), 'Names starting with GITHUB_ are reserved.'),
);

/** GitLab CI/CD variable keys: `[A-Za-z0-9_]`, at most 255 characters. */
export const GitlabVariableKey = z.lazy(() => z.string().max(255).regex(/^[A-Za-z0-9_]{1,255}$/, 'Use letters, digits and _ (at most 255).'));

const WorkspaceId = z.lazy(() => z.string().min(1).max(100));

export const DeploymentTargetSpec = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('dotenv'), path: AbsolutePath, key: DotenvKey }).strict(),
    z.object({ kind: z.literal('npmrc'), path: AbsolutePath, key: NpmRegistryPrefix }).strict(),
    z.object({ kind: z.literal('json'), path: AbsolutePath, key: DottedPath }).strict(),
    z.object({ kind: z.literal('yaml'), path: AbsolutePath, key: DottedPath }).strict(),
    z.object({ kind: z.literal('docker'), path: AbsolutePath, key: DockerRegistry, user: DockerUser }).strict(),
    z
      .object({
        kind: z.literal('gitlab-variable'),
        workspaceId: WorkspaceId,
        level: z.enum(['project', 'group']),
        /** Numeric id or full path (`group/sub/project`). */
        owner: z.string().min(1).max(500),
        key: GitlabVariableKey,
        environmentScope: z.string().min(1).max(255).default('*'),
        masked: z.boolean().default(true),
        /** Masked and hidden from the UI and API (GitLab 17.4+); only settable when the variable is created. */
        hidden: z.boolean().default(false),
        /** Raw = no `$` expansion in jobs, so a secret with `$` arrives intact. */
        raw: z.boolean().default(true),
        /** Unset: left as it is on an existing variable, false on a new one. */
        protected: z.boolean().optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('gitea-secret'),
        workspaceId: WorkspaceId,
        level: z.enum(['repo', 'org', 'user']),
        /** `owner/repo` for repo, the organisation for org, empty for the workspace's own user. */
        owner: z.string().max(500),
        name: ActionsSecretName,
      })
      .strict()
      .refine((t) => (t.level === 'repo' ? /^[^/\s]+\/[^/\s]+$/.test(t.owner) : t.level === 'org' ? /^[^/\s]+$/.test(t.owner) : t.owner === ''), {
        message: 'Name the repository as owner/repo, the organisation alone, or nothing for the user.',
        path: ['owner'],
      })
      // Gitea reserves its own prefix and CI (always "true" in jobs); Forgejo also FORGEJO_ (services/secrets/validation.go).
      .refine((t) => !/^(GITEA_|FORGEJO_)/i.test(t.name) && t.name.toUpperCase() !== 'CI', { message: 'Names starting with GITEA_ or FORGEJO_, and CI, are reserved.', path: ['name'] }),
    z
      .object({
        kind: z.literal('github-secret'),
        workspaceId: WorkspaceId,
        level: z.enum(['repo', 'org']),
        owner: z.string().max(500),
        name: ActionsSecretName,
        /** Org secrets only. Unset: kept on an existing secret, `private` on a new one. */
        visibility: z.enum(['all', 'private', 'selected']).optional(),
      })
      .strict()
      .refine((t) => (t.level === 'repo' ? /^[^/\s]+\/[^/\s]+$/.test(t.owner) : /^[^/\s]+$/.test(t.owner)), {
        message: 'Name the repository as owner/repo, or the organisation alone.',
        path: ['owner'],
      }),
    z
      .object({
        kind: z.literal('vault-kv'),
        workspaceId: WorkspaceId,
        /** The KV v2 mount (`secret`, `kv/team`). */
        mount: z.string().min(1).max(500).regex(/^[^\s?#]+$/).default('secret'),
        path: z.string().min(1).max(1000).regex(/^[^\s?#]+$/),
        key: z.string().min(1).max(500),
      })
      .strict(),
  ]),
);
export type DeploymentTargetSpec = z.infer<typeof DeploymentTargetSpec>;
export type DeploymentTargetInput = z.input<typeof DeploymentTargetSpec>;
export type TargetSpecOf<K extends TargetKind> = Extract<DeploymentTargetSpec, { kind: K }>;
export type FileTargetSpec = TargetSpecOf<FileTargetKind>;
export type RemoteTargetSpec = TargetSpecOf<RemoteTargetKind>;

/** Why a target refused the secret, for the presenters to word. The target is left as it was. */
export const TARGET_REFUSALS = [
  'unparsable', // the file is not valid dotenv/ini/JSON/YAML (detail: "line:column" or "not-utf8")
  'multiple-documents', // a YAML stream with more than one document
  'not-a-regular-file', // a folder, device, pipe, or a dangling symlink
  'hard-linked', // a file with several names: replacing it would leave the other names with the old content
  'symlink-outside', // a symlink leading out of the folder the user named
  'folder-missing', // the file's folder does not exist
  'owner-not-preservable', // the replacement could not be given the file's owner
  'permission-denied', // this user may not read the file or write its folder (detail: read | write)
  'io-error', // the disk refused (detail: the system's code, e.g. ENOSPC, EROFS)
  'path-conflict', // the dotted path runs through a value that is not a map (detail: the segment)
  'value-not-expressible', // the format cannot hold this value as written (quoting, `${`, line breaks)
  'value-is-reference', // the entry holds a reference (`${VAR}`, `tv://`) rather than a secret (detail: the reference name)
  'docker-credential-elsewhere', // Docker reads this registry's secret elsewhere (detail: credsStore | credHelpers | identitytoken)
  'not-maskable', // GitLab cannot mask this value (detail: too-short | whitespace | characters)
  'invalid-name', // the service does not accept the name (detail: the rule)
  'too-large', // over the service's size limit
] as const;
export type TargetRefusal = (typeof TARGET_REFUSALS)[number];

export const TargetFailureInfo = z.lazy(() =>
  z.object({
    code: z.enum(ERROR_CODES),
    reason: z.enum(TARGET_REFUSALS).nullable(),
    /** Short, never secret: a line:column, a rule, a reference name. */
    detail: z.string().max(200).nullable(),
    /** Safe to show, never holds a secret; presenters may prefer their own words keyed on code and reason. */
    message: z.string().max(2000),
    httpStatus: z.number().int().nullable(),
    /** The write may have happened although no answer came back (remote targets). */
    maybeApplied: z.boolean(),
  }),
);
export type TargetFailureInfo = z.infer<typeof TargetFailureInfo>;

/** What a successful push leaves behind, for the next verify of a write-only secret. */
export const PushReceipt = z.lazy(() =>
  z.object({
    /** The secret's own update time at the service right after our write (GitHub), if it has one. */
    remoteUpdatedAt: z.string().nullable(),
    /** KV version written (Vault). */
    version: z.number().int().nullable(),
  }),
);
export type PushReceipt = z.infer<typeof PushReceipt>;

export const PushOutcome = z.lazy(() =>
  z.discriminatedUnion('status', [
    z.object({
      status: z.literal('written'),
      at: z.string(),
      /** created: the file, key or remote secret did not exist; unchanged: it already held this secret (nothing written). */
      change: z.enum(['created', 'updated', 'unchanged']),
      /** The file itself was created (mode 0600). */
      fileCreated: z.boolean(),
      /** The value's quoting had to change so the format keeps it intact (dotenv, npmrc, YAML). */
      requoted: z.boolean(),
      /** Places written: duplicate keys in a dotenv or npmrc file, several matching Docker `auths` entries. */
      occurrences: z.number().int().min(0),
      receipt: PushReceipt,
    }),
    z.object({ status: z.literal('failed'), at: z.string(), failure: TargetFailureInfo }),
  ]),
);
export type PushOutcome = z.infer<typeof PushOutcome>;

export const VerifyOutcome = z.lazy(() =>
  z.discriminatedUnion('status', [
    z.object({
      status: z.literal('verified'),
      at: z.string(),
      /**
       * value-read-back: read and equal. present-since-push: a write-only secret exists and was not written again since
       * our push. present: a write-only secret exists (no push of ours to compare with, or the service keeps no update time).
       */
      evidence: z.enum(['value-read-back', 'present-since-push', 'present']),
    }),
    z.object({ status: z.literal('mismatch'), at: z.string(), problem: z.enum(['value-differs', 'missing', 'changed-since-push']) }),
    /** The service keeps the value hidden (GitLab hidden variables): it exists, its value cannot be compared. */
    z.object({ status: z.literal('unverifiable'), at: z.string(), why: z.enum(['hidden-value']) }),
    z.object({ status: z.literal('failed'), at: z.string(), failure: TargetFailureInfo }),
  ]),
);
export type VerifyOutcome = z.infer<typeof VerifyOutcome>;


/** A token's deployment target as the vault keeps it. */
export const DeploymentTargetRecord = z.lazy(() =>
  z.object({
    id: z.string().min(1).max(100),
    tokenId: z.string().min(1).max(100),
    spec: DeploymentTargetSpec,
    createdAt: z.string(),
    lastPush: PushOutcome.nullable(),
    /** The receipt of the last successful push, kept when a later push fails. */
    lastReceipt: PushReceipt.nullable(),
    lastVerify: VerifyOutcome.nullable(),
  }),
);
export type DeploymentTargetRecord = z.infer<typeof DeploymentTargetRecord>;

/**
 * One target's part in a push: what the write did, and what reading it back found (null when the write failed or
 * the target was removed while the push ran: then `push` is null too). Never a secret.
 */
export interface TargetResult {
  targetId: string;
  spec: DeploymentTargetSpec;
  push: PushOutcome | null;
  verify: VerifyOutcome | null;
}

/**
 * The target holds the secret: written and read back (or present, where the service never shows a value; or hidden
 * by the service, which answered the write with success).
 */
export const targetHoldsSecret = (r: Pick<TargetResult, 'push' | 'verify'>): boolean =>
  r.push?.status === 'written' && (r.verify?.status === 'verified' || r.verify?.status === 'unverifiable');

/** A push of one token's secret to its targets: `use push`, "Push now", and the deploy steps of a rotation. */
export interface DeployReport {
  /** The token whose secret was written (the replacement, in a create-new rotation). */
  tokenId: string;
  targets: TargetResult[];
}

export const failedTargets = (report: DeployReport): TargetResult[] => report.targets.filter((t) => t.push !== null && !targetHoldsSecret(t));

/**
 * Progress of a push while it runs (events to the window; never a secret). `phase`: a target being written, read
 * back, or done; `index` counts from 0 of `total`.
 */
export interface DeployProgress {
  tokenId: string;
  targetId: string;
  index: number;
  total: number;
  phase: 'pushing' | 'verifying' | 'done';
  /** With `done`: whether the target now holds the secret. */
  ok?: boolean;
}
