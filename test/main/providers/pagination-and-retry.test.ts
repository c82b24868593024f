import { describe, expect, it } from 'vitest';
import { collectPages, LIST_PAGE_CAP, LIST_TOKEN_CAP } from '../../../src/main/providers/pagination';
import { parseWaitHeader, retryAfterFromHeaders } from '../../../src/main/providers/http/retry-headers';

describe('collectPages: every page or a typed failure, never a short list', () => {
  const pages = (n: number, size: number) => async (cursor: number) => ({ items: Array.from({ length: size }, (_, i) => cursor * size + i), next: cursor + 1 < n ? cursor + 1 : null });

  it('collects every page in order', async () => {
    expect(await collectPages({ service: 'T', first: 0, fetch: pages(3, 2) })).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('stops a server that pages forever at the page cap', async () => {
    let calls = 0;
    const forever = async (c: number) => {
      calls++;
      return { items: [c], next: c + 1 };
    };
    await expect(collectPages({ service: 'T', first: 0, fetch: forever, pageCap: 50 })).rejects.toMatchObject({ code: 'unexpected-response', message: expect.stringMatching(/more pages after 50/) });
    expect(calls).toBe(50);
    expect(LIST_PAGE_CAP).toBeGreaterThanOrEqual(100);
  });

  it('stops at once when a page points back to one already sent', async () => {
    await expect(collectPages({ service: 'T', first: 'a', fetch: async (c: string) => ({ items: [c], next: c === 'a' ? 'b' : 'a' }) })).rejects.toMatchObject({ message: expect.stringMatching(/already sent/) });
  });

  it('stops past the token cap', async () => {
    await expect(collectPages({ service: 'T', first: 0, fetch: pages(10, 100), itemCap: 250 })).rejects.toMatchObject({ message: expect.stringMatching(/more than 250 tokens/) });
    expect(LIST_TOKEN_CAP).toBeGreaterThanOrEqual(10_000);
  });

  it('ends on an empty page even if it links onwards', async () => {
    expect(await collectPages({ service: 'T', first: 0, fetch: async (c: number) => ({ items: c < 2 ? [c] : [], next: c + 1 }) })).toEqual([0, 1]);
  });
});

describe('how long a 429 asks us to wait', () => {
  const now = 1_800_000_000_000;
  it('reads seconds, HTTP dates and unix timestamps', () => {
    expect(parseWaitHeader('30', now)).toBe(30_000);
    expect(parseWaitHeader('1.5', now)).toBe(1500);
    expect(parseWaitHeader(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseWaitHeader(String(now / 1000 + 12), now)).toBe(12_000);
    expect(parseWaitHeader(String(now / 1000 - 12), now)).toBe(0);
    expect(parseWaitHeader('soon', now)).toBeUndefined();
    expect(parseWaitHeader(null, now)).toBeUndefined();
  });

  it('prefers Retry-After, then Docker Hub X-Retry-After, then X-RateLimit-Reset (429 only)', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(retryAfterFromHeaders(429, h({ 'retry-after': '3', 'x-retry-after': String(now / 1000 + 60) }), now)).toBe(3000);
    expect(retryAfterFromHeaders(429, h({ 'x-retry-after': String(now / 1000 + 60) }), now)).toBe(60_000);
    // Vercel / Docker Hub send a unix time, Datadog seconds from now.
    expect(retryAfterFromHeaders(429, h({ 'x-ratelimit-reset': String(now / 1000 + 7) }), now)).toBe(7000);
    expect(retryAfterFromHeaders(429, h({ 'x-ratelimit-reset': '7' }), now)).toBe(7000);
    // On a 503 only Retry-After counts: the quota headers ride on every answer.
    expect(retryAfterFromHeaders(503, h({ 'x-ratelimit-reset': '7' }), now)).toBeUndefined();
    expect(retryAfterFromHeaders(429, h({}), now)).toBeUndefined();
  });
});
