import { RemoteFailure } from './http/remote-failure';

/**
 * Upper bounds for one listing. A sync that trusted a server which pages forever would never end, and one that
 * stopped early and called the list complete would mark every token it did not reach as revoked at the service, so
 * crossing a bound is an error, never a short list. Issue 10 sets the final numbers; they live here only.
 */
export const LIST_PAGE_CAP = 1_000;
export const LIST_TOKEN_CAP = 50_000;

export interface Page<T, C> {
  items: T[];
  /** Where the next page starts (a URL, a page number, a cursor, a Range); null on the last page. */
  next: C | null;
}

export interface PaginateOptions<T, C> {
  /** The service's name as users know it, for messages. */
  service: string;
  first: C;
  fetch: (cursor: C, pageIndex: number) => Promise<Page<T, C>>;
  /** A cursor's identity, to notice a server that points back to a page it already sent. Default: JSON. */
  key?: (cursor: C) => string;
  pageCap?: number;
  itemCap?: number;
}

/** Every item of every page, or a typed failure: never a silently shortened list. */
export async function collectPages<T, C>(options: PaginateOptions<T, C>): Promise<T[]> {
  const pageCap = options.pageCap ?? LIST_PAGE_CAP;
  const itemCap = options.itemCap ?? LIST_TOKEN_CAP;
  const key = options.key ?? ((c: C) => JSON.stringify(c));
  const seen = new Set<string>();
  const out: T[] = [];
  let cursor: C | null = options.first;
  for (let page = 0; cursor !== null; page++) {
    if (page >= pageCap) {
      throw new RemoteFailure('unexpected-response', `${options.service} kept sending more pages after ${pageCap}; Token Vault stopped listing rather than trust a list that may never end. Nothing was changed.`);
    }
    const k = key(cursor);
    if (seen.has(k)) {
      throw new RemoteFailure('unexpected-response', `${options.service} pointed back to a page it had already sent; Token Vault stopped listing. Nothing was changed.`);
    }
    seen.add(k);
    const res: Page<T, C> = await options.fetch(cursor, page);
    out.push(...res.items);
    if (out.length > itemCap) {
      throw new RemoteFailure('unexpected-response', `${options.service} listed more than ${itemCap.toLocaleString('en-US')} tokens; Token Vault stopped listing. Nothing was changed.`);
    }
    // A page with nothing on it that still points onwards would let a server spin us through the page cap.
    cursor = res.items.length === 0 ? null : res.next;
  }
  return out;
}
