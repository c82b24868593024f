/**
 * How long a 429 (or 503) asks us to wait, from whichever header the service uses. Services disagree, and Docker
 * Hub's own documents disagree with each other (PROVIDERS.md §4.1):
 * - `Retry-After`: seconds or an HTTP date (RFC 9110).
 * - `X-Retry-After`: a unix timestamp in seconds (Docker Hub's API reference).
 * - `X-RateLimit-Reset`: a unix timestamp (Docker Hub, Vercel) or seconds until the reset (Datadog).
 * A bare number that large as a delay would be decades, so at or above 10^9 a number is read as a unix time.
 */
const UNIX_TIME_FLOOR = 1_000_000_000;

/** Milliseconds to wait for one header value, or undefined when it says nothing usable. */
export function parseWaitHeader(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return n >= UNIX_TIME_FLOOR ? Math.max(0, Math.round(n * 1000 - now)) : Math.round(n * 1000);
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait a 429 or 503 asks for: the standard header first, then the services' own ones. The rate-limit reset
 * counts only on a 429: services send it on every answer, and a 503 is not about the quota.
 */
export function retryAfterFromHeaders(status: number, headers: Headers, now = Date.now()): number | undefined {
  const names = status === 429 ? ['retry-after', 'x-retry-after', 'x-ratelimit-reset'] : ['retry-after'];
  for (const name of names) {
    const wait = parseWaitHeader(headers.get(name), now);
    if (wait !== undefined) return wait;
  }
  return undefined;
}
