import sodium from 'libsodium-wrappers';
import { ContractServer, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * GitHub Actions secrets (PROVIDERS.md 4.5; docs.github.com/rest/actions/secrets and the REST guide "Encrypting
 * secrets"). Each repository and organisation holds a Curve25519 key pair; PUT must carry the current key_id and a
 * sealed box that this server opens with the private key, so a test passing here proves the real encryption.
 * Names are checked and stored upper-cased; `updated_at` has GitHub's one-second resolution.
 */
interface StoredSecret {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
  visibility?: 'all' | 'private' | 'selected';
  selected?: number[];
}

interface Holder {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
  secrets: Map<string, StoredSecret>;
}

const MAX_BYTES = 48 * 1024;
const seconds = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const validName = (n: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !/^GITHUB_/i.test(n);

export async function createGithubSecretsServer(tokens = { admin: 'ghp_admin0123456789abcdefghijklmnopqrstu', readOnly: 'ghp_readonly0123456789abcdefghijklmnopq' }) {
  await sodium.ready;
  const holder = (): Holder => {
    const kp = sodium.crypto_box_keypair();
    return { keyId: String(Math.floor(Math.random() * 1e18)), publicKey: kp.publicKey, privateKey: kp.privateKey, secrets: new Map() };
  };
  const repos = new Map<string, Holder>([['octo/app', holder()]]);
  const orgs = new Map<string, Holder>([['octo', holder()]]);

  const denied = (req: ContractRequest): ContractResponse | 'read' | null => {
    const sent = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (sent === tokens.admin) return null;
    if (sent === tokens.readOnly) return 'read';
    return { status: 401, json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
  };
  const notFound: ContractResponse = { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  const forbidden: ContractResponse = { status: 403, json: { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest' } };
  const invalid = (message: string): ContractResponse => ({ status: 422, json: { message, documentation_url: 'https://docs.github.com/rest' } });

  type Find = (req: ContractRequest) => Holder | undefined;
  const guard = (find: Find, handle: (req: ContractRequest, h: Holder) => ContractResponse) => (req: ContractRequest): ContractResponse => {
    const d = denied(req);
    if (d && d !== 'read') return d;
    const h = find(req);
    if (!h) return notFound;
    // secrets are admin-only even to read their names; a read-only token sees 403
    if (d === 'read') return forbidden;
    return handle(req, h);
  };
  const meta = (s: StoredSecret, org: boolean) => ({
    name: s.name,
    created_at: s.created_at,
    updated_at: s.updated_at,
    ...(org ? { visibility: s.visibility, ...(s.visibility === 'selected' ? { selected_repositories_url: 'https://api.github.com/orgs/octo/actions/secrets/x/repositories' } : {}) } : {}),
  });

  function put(org: boolean) {
    return (req: ContractRequest, h: Holder): ContractResponse => {
      const name = req.params.at(-1)!;
      if (!validName(name)) return invalid('Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), must not start with a number, and must not start with GITHUB_.');
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (typeof b.encrypted_value !== 'string' || typeof b.key_id !== 'string') return invalid('Invalid request.\n\n"encrypted_value" and "key_id" are required.');
      if (b.key_id !== h.keyId) return invalid('Bad key_id: the secret must be encrypted with the current public key.');
      let value: string;
      try {
        const box = sodium.from_base64(b.encrypted_value, sodium.base64_variants.ORIGINAL);
        value = sodium.to_string(sodium.crypto_box_seal_open(box, h.publicKey, h.privateKey));
      } catch {
        return invalid('Invalid request.\n\n"encrypted_value" is not a sealed box for this key.');
      }
      if (Buffer.byteLength(value) > MAX_BYTES) return invalid('Secret value is too large (48 KB at most).');
      let visibility: StoredSecret['visibility'];
      if (org) {
        if (b.visibility !== 'all' && b.visibility !== 'private' && b.visibility !== 'selected') return invalid('Invalid request.\n\n"visibility" is not a valid value.');
        visibility = b.visibility;
      }
      const key = name.toUpperCase();
      const had = h.secrets.get(key);
      if (!had && h.secrets.size >= (org ? 1000 : 100)) return invalid('Too many secrets.');
      const now = seconds();
      h.secrets.set(key, {
        name: key,
        value,
        created_at: had?.created_at ?? now,
        updated_at: now,
        ...(visibility ? { visibility } : {}),
        ...(visibility === 'selected' ? { selected: Array.isArray(b.selected_repository_ids) ? (b.selected_repository_ids as number[]) : (had?.selected ?? []) } : {}),
      });
      return had ? { status: 204 } : { status: 201, json: {} };
    };
  }

  const scope = (org: boolean): Route[] => {
    const base = org ? '^/orgs/([^/]+)/actions/secrets' : '^/repos/([^/]+)/([^/]+)/actions/secrets';
    const find: Find = org ? (req) => orgs.get(req.params[0]!) : (req) => repos.get(`${req.params[0]}/${req.params[1]}`);
    return [
      ['GET', new RegExp(`${base}/public-key$`), guard(find, (_req, h) => ({ status: 200, json: { key_id: h.keyId, key: sodium.to_base64(h.publicKey, sodium.base64_variants.ORIGINAL) } }))],
      [
        'GET',
        new RegExp(`${base}$`),
        guard(find, (req, h) => {
          const perPage = Math.min(100, Number(req.url.searchParams.get('per_page') ?? 30));
          const page = Number(req.url.searchParams.get('page') ?? 1);
          const all = [...h.secrets.values()];
          return { status: 200, json: { total_count: all.length, secrets: all.slice((page - 1) * perPage, page * perPage).map((s) => meta(s, org)) } };
        }),
      ],
      [
        'GET',
        new RegExp(`${base}/([^/]+)$`),
        guard(find, (req, h) => {
          const s = h.secrets.get(req.params.at(-1)!.toUpperCase());
          return s ? { status: 200, json: meta(s, org) } : notFound;
        }),
      ],
      ['PUT', new RegExp(`${base}/([^/]+)$`), guard(find, put(org))],
      ['DELETE', new RegExp(`${base}/([^/]+)$`), guard(find, (req, h) => (h.secrets.delete(req.params.at(-1)!.toUpperCase()) ? { status: 204 } : notFound))],
    ];
  };
  const server = new ContractServer([...scope(false), ...scope(true)]);
  const holderOf = (level: 'repo' | 'org', owner: string) => (level === 'repo' ? repos : orgs).get(owner)!;
  return {
    server,
    tokens,
    /** The decrypted value, as a workflow would see it (tests only). */
    valueOf: (level: 'repo' | 'org', owner: string, name: string) => holderOf(level, owner).secrets.get(name.toUpperCase())?.value,
    secretOf: (level: 'repo' | 'org', owner: string, name: string) => holderOf(level, owner).secrets.get(name.toUpperCase()),
    /** GitHub rotates the key pair now and then: the old key_id stops working. */
    rotateKey: (level: 'repo' | 'org', owner: string) => Object.assign(holderOf(level, owner), (({ secrets: _s, ...fresh }) => fresh)(holder())),
  };
}
