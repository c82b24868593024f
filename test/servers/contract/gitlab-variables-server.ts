import { ContractServer, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * GitLab CI/CD variables (PROVIDERS.md 4.5; gitlabhq `lib/api/ci/variables.rb`, `lib/api/group_variables.rb`,
 * `app/models/concerns/ci/maskable.rb`): Maintainer role (`admin_build`), key rules, masking rules, one key per
 * environment scope, the 409 for several scopes without a filter, hidden values read back as null.
 */
export interface GitlabVariable {
  key: string;
  value: string;
  variable_type: 'env_var' | 'file';
  protected: boolean;
  masked: boolean;
  hidden: boolean;
  raw: boolean;
  environment_scope: string;
  description: string | null;
}

interface Owner {
  kind: 'project' | 'group';
  id: number;
  path: string;
  variables: GitlabVariable[];
}

// Ci::Maskable::REGEX (expanded) and MASK_AND_RAW_REGEX (raw); Ruby's \S excludes only ASCII whitespace
const MASK_EXPANDED = /^[a-zA-Z0-9_+=/@:.~-]{8,}$/;
const MASK_RAW = /^[^ \t\r\n\f\v]{8,}$/;

export function createGitlabVariablesServer(tokens = { maintainer: 'glpat-maintainer-0000000000', developer: 'glpat-developer-00000000000' }) {
  const owners: Owner[] = [
    { kind: 'project', id: 7, path: 'team/app', variables: [] },
    { kind: 'group', id: 3, path: 'team', variables: [] },
  ];
  const role = (req: ContractRequest) => {
    const sent = req.headers['private-token'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return sent === tokens.maintainer ? 'maintainer' : sent === tokens.developer ? 'developer' : null;
  };
  const find = (kind: Owner['kind'], ref: string) => owners.find((o) => o.kind === kind && (String(o.id) === ref || o.path === ref));
  const view = (v: GitlabVariable) => ({ ...v, value: v.hidden ? null : v.value });
  const scopeOf = (req: ContractRequest) => req.url.searchParams.get('filter[environment_scope]');

  function maskError(value: string, masked: boolean, raw: boolean): ContractResponse | null {
    if (!masked) return null;
    return (raw ? MASK_RAW : MASK_EXPANDED).test(value) ? null : { status: 400, json: { message: { value: ['is invalid'] } } };
  }

  /** Auth, owner lookup and the Maintainer check every variables route makes first. */
  const withOwner = (kind: Owner['kind'], handle: (req: ContractRequest, owner: Owner) => ContractResponse) => (req: ContractRequest): ContractResponse => {
    const r = role(req);
    if (!r) return { status: 401, json: { message: '401 Unauthorized' } };
    const owner = find(kind, req.params[0]!);
    if (!owner) return { status: 404, json: { message: `404 ${kind === 'project' ? 'Project' : 'Group'} Not Found` } };
    if (r !== 'maintainer') return { status: 403, json: { message: '403 Forbidden' } };
    return handle(req, owner);
  };

  function one(req: ContractRequest, owner: Owner): GitlabVariable | ContractResponse {
    const scope = scopeOf(req);
    const hits = owner.variables.filter((v) => v.key === req.params[1] && (scope === null || v.environment_scope === scope));
    if (hits.length === 0) return { status: 404, json: { message: '404 Variable Not Found' } };
    if (hits.length > 1) return { status: 409, json: { message: "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'" } };
    return hits[0]!;
  }
  const isResponse = (x: GitlabVariable | ContractResponse): x is ContractResponse => 'status' in x;

  const routesFor = (kind: Owner['kind']): Route[] => {
    const base = kind === 'project' ? 'projects' : 'groups';
    const collection = new RegExp(`^/api/v4/${base}/([^/]+)/variables$`);
    const item = new RegExp(`^/api/v4/${base}/([^/]+)/variables/([^/]+)$`);
    return [
      [
        'GET',
        collection,
        withOwner(kind, (req, owner) => {
          const perPage = Math.min(100, Number(req.url.searchParams.get('per_page') ?? 20));
          const page = Number(req.url.searchParams.get('page') ?? 1);
          const next = page * perPage < owner.variables.length ? String(page + 1) : '';
          return { status: 200, json: owner.variables.slice((page - 1) * perPage, page * perPage).map(view), headers: { 'x-total': String(owner.variables.length), 'x-next-page': next } };
        }),
      ],
      [
        'GET',
        item,
        withOwner(kind, (req, owner) => {
          const v = one(req, owner);
          return isResponse(v) ? v : { status: 200, json: view(v) };
        }),
      ],
      [
        'POST',
        collection,
        withOwner(kind, (req, owner) => {
          const b = (req.body ?? {}) as Record<string, unknown>;
          const key = typeof b.key === 'string' ? b.key : '';
          if (!key) return { status: 400, json: { error: 'key is missing' } };
          if (typeof b.value !== 'string') return { status: 400, json: { error: 'value is missing' } };
          if (!/^[a-zA-Z0-9_]+$/.test(key) || key.length > 255) return { status: 400, json: { message: { key: ["can contain only letters, digits and '_'."] } } };
          const hidden = b.masked_and_hidden === true;
          const masked = hidden || b.masked === true;
          const raw = b.raw === true;
          const bad = maskError(b.value, masked, raw);
          if (bad) return bad;
          const scope = typeof b.environment_scope === 'string' ? b.environment_scope : '*';
          if (owner.variables.some((v) => v.key === key && v.environment_scope === scope)) return { status: 400, json: { message: { key: [`(${key}) has already been taken`] } } };
          const v: GitlabVariable = {
            key,
            value: b.value,
            variable_type: b.variable_type === 'file' ? 'file' : 'env_var',
            protected: b.protected === true,
            masked,
            hidden,
            raw,
            environment_scope: scope,
            description: typeof b.description === 'string' ? b.description : null,
          };
          owner.variables.push(v);
          return { status: 201, json: view(v) };
        }),
      ],
      [
        'PUT',
        item,
        withOwner(kind, (req, owner) => {
          const v = one(req, owner);
          if (isResponse(v)) return v;
          const b = (req.body ?? {}) as Record<string, unknown>;
          if (v.hidden && b.masked === false) return { status: 400, json: { message: { masked: ['cannot be unmasked for a hidden variable'] } } };
          const next = {
            ...v,
            ...(typeof b.value === 'string' ? { value: b.value } : {}),
            ...(typeof b.masked === 'boolean' ? { masked: b.masked } : {}),
            ...(typeof b.raw === 'boolean' ? { raw: b.raw } : {}),
            ...(typeof b.protected === 'boolean' ? { protected: b.protected } : {}),
            ...(typeof b.environment_scope === 'string' ? { environment_scope: b.environment_scope } : {}),
          };
          const bad = maskError(next.value, next.masked, next.raw);
          if (bad) return bad;
          Object.assign(v, next);
          return { status: 200, json: view(v) };
        }),
      ],
      [
        'DELETE',
        item,
        withOwner(kind, (req, owner) => {
          const v = one(req, owner);
          if (isResponse(v)) return v;
          owner.variables.splice(owner.variables.indexOf(v), 1);
          return { status: 204 };
        }),
      ],
    ];
  };
  const server = new ContractServer([...routesFor('project'), ...routesFor('group')]);
  const variables = (kind: Owner['kind'], ref: string) => find(kind, ref)!.variables;
  return { server, tokens, variables };
}
