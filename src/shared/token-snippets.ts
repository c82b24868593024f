/** Kept free of zod so the renderer can import it without pulling in the schemas. */

/** The usage snippets the window offers; main fills in the real secret, the window shows a placeholder. */
export const SNIPPET_KINDS = ['curl', 'fetch', 'python', 'env', 'mcp'] as const;
export type SnippetKind = (typeof SNIPPET_KINDS)[number];

export const SNIPPET_LABELS: Record<SnippetKind, string> = {
  curl: 'curl',
  fetch: 'JavaScript fetch',
  python: 'Python requests',
  env: '.env line',
  mcp: 'MCP server env block',
};

/** The visible start of a secret kept as a token's prefix (for recognising it): at most 6 characters, a third of it. */
export const visiblePrefix = (secret: string): string => secret.slice(0, Math.min(6, Math.floor(secret.length / 3)));

/** An environment variable name from a token name: `Prod CI` -> `PROD_CI_TOKEN`. */
export const envNameFor = (tokenName: string): string => {
  const base = tokenName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const name = /^[A-Z]/.test(base) ? base : `TOKEN_${base}`;
  return name.endsWith('TOKEN') ? name : `${name}_TOKEN`;
};

/**
 * One template for both sides: the renderer calls it with a placeholder, main with the real secret. Pure and
 * dependency-free so it is identical in both places.
 */
export function renderSnippet(kind: SnippetKind, secret: string, options: { tokenName: string; baseUrl: string | null }): string {
  const url = options.baseUrl ?? 'https://api.example.com';
  const env = envNameFor(options.tokenName);
  switch (kind) {
    case 'curl':
      return `curl -H "Authorization: Bearer ${secret}" ${url}`;
    case 'fetch':
      return `const res = await fetch('${url}', {\n  headers: { Authorization: 'Bearer ${secret}' },\n});`;
    case 'python':
      return `import requests\n\nres = requests.get(\n    "${url}",\n    headers={"Authorization": "Bearer ${secret}"},\n)`;
    case 'env':
      return `${env}=${secret}`;
    case 'mcp':
      return JSON.stringify({ mcpServers: { [options.tokenName]: { env: { [env]: secret } } } }, null, 2);
  }
}

