/**
 * A workspace keeps one URL; provider options (GitLab projects and groups, OpenAI project ids...) ride in its fragment:
 * `https://gitlab.example.com#projects=7,8&groups=3`. The window shows them as fields and joins them back; main splits
 * them when it connects. One definition for both sides.
 */
export function splitWorkspaceUrl(raw: string | null): { baseUrl: string; options: Record<string, string> } {
  if (!raw) return { baseUrl: '', options: {} };
  const hash = raw.indexOf('#');
  if (hash < 0) return { baseUrl: raw, options: {} };
  const options: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw.slice(hash + 1))) options[k] = v;
  return { baseUrl: raw.slice(0, hash), options };
}

/** The stored URL for a base URL and the options that are set (empty ones are left out). */
export function joinWorkspaceUrl(baseUrl: string, options: Record<string, string>): string {
  const set = Object.entries(options).filter(([, v]) => v.trim() !== '');
  if (set.length === 0) return baseUrl;
  return `${baseUrl}#${new URLSearchParams(set.map(([k, v]) => [k, v.trim()])).toString().replace(/%2C/gi, ',')}`;
}
