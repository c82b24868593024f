import { bearer, ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * The parts of the GitHub REST API a GitHub workspace uses for tokens (PROVIDERS.md §4.5 "GitHub credential
 * revocation", table 4.6): POST /credentials/revoke (202; github.com takes it only unauthenticated and answers 403
 * with a credential, 422 on validation, 60 per hour), and GET /user to try a token. `enterprise` plays GitHub
 * Enterprise Server, whose documents call the same route authenticated.
 */
const DOCS = 'https://docs.github.com/rest';
const message = (status: number, text: string, extra: Record<string, unknown> = {}): ContractResponse => ({ status, json: { message: text, documentation_url: DOCS, ...extra } });

export function createGithubCredentialsServer() {
  const tokens = new Map<string, { login: string; revoked: boolean }>();
  const state = { enterprise: false, revokeCalls: 0, revokeLimitPerHour: 60 };
  const issue = (prefix = 'ghp_', login = 'octocat') => {
    const t = randomSecret(prefix, 18);
    tokens.set(t, { login, revoked: false });
    return t;
  };
  const adminToken = issue('ghp_', 'admin');
  const valid = (t: string | undefined) => (t ? tokens.get(t) : undefined)?.revoked === false;

  const routes: Route[] = [
    [
      'GET',
      /^\/user$/,
      (req) => {
        const t = bearer(req) ?? /^token (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        return valid(t) ? { status: 200, json: { login: tokens.get(t!)!.login, id: 1, type: 'User' } } : message(401, 'Bad credentials');
      },
    ],
    [
      'POST',
      /^\/credentials\/revoke$/,
      (req: ContractRequest) => {
        const authed = req.headers.authorization !== undefined;
        if (!state.enterprise && authed) return message(403, 'This endpoint must be called without authentication.');
        if (state.enterprise && !valid(bearer(req))) return message(401, 'Requires authentication');
        if (++state.revokeCalls > state.revokeLimitPerHour) {
          return { status: 429, headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) }, json: { message: 'API rate limit exceeded.', documentation_url: DOCS } };
        }
        const creds = (req.body as { credentials?: unknown } | undefined)?.credentials;
        if (!Array.isArray(creds) || creds.length === 0 || creds.length > 1000 || creds.some((c) => typeof c !== 'string')) {
          return message(422, 'Validation Failed', { errors: [{ resource: 'Credential', field: 'credentials', code: 'invalid' }], status: '422' });
        }
        // Unknown values are accepted too: the answer never says which credentials existed.
        for (const c of creds as string[]) {
          const t = tokens.get(c);
          if (t) t.revoked = true;
        }
        return { status: 202, json: {} };
      },
    ],
  ];
  const server = new ContractServer(routes);
  return { server, tokens, state, issue, adminToken };
}
