import { create } from 'zustand';
import type { IssuedSecret } from '../../../shared/issued-secret';
import type { TokenDto, TokensChangedEvent } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import type { SnippetKind } from '../../../shared/token-snippets';
import { toAppError, unwrap } from './call';
import { EMPTY_INDEX, EMPTY_QUERY, indexTokens, type TokenIndex, type TokenQuery } from '../lib/token-query';

export interface TokensState {
  /** Every token main sent (never a secret): loaded once, then patched row by row from each change. */
  tokens: TokenDto[];
  /** Search text and dates as numbers, rebuilt when the rows change so a keystroke or a sort only scans. */
  index: TokenIndex;
  /** The find bar: search text, filters and sort. */
  query: TokenQuery;
  /** The token whose details are open. */
  selectedId: string | null;
  loading: boolean;
  /** The list could not be loaded. */
  loadError?: AppError;
  /** The last failed action, shown in the details pane. */
  actionError?: AppError;
  /** A short confirmation ("Prefix copied") announced politely to screen readers. */
  status: string;
  /** The clipboard holds a secret until this instant (ms), then main clears it; null = nothing pending. */
  clipboardClearsAt: number | null;
}

export interface TokensActions {
  load(): Promise<void>;
  /** Main's `tokens:changed`: patch the rows it names, or reload when it says too many changed. */
  applyChange(change: TokensChangedEvent): void;
  /** Puts these rows in (replacing the same ids): what a mutation returned. */
  upsert(tokens: TokenDto[]): void;
  setQuery(patch: Partial<TokenQuery>): void;
  select(id: string | null): void;
  /** Runs an action from the details pane and records a failure there instead of throwing. */
  run<T>(action: () => Promise<T>, success?: string): Promise<T | undefined>;
  /** Creates a token at the service; its row is added and selected. Throws CallError (the dialog shows it). */
  create(input: Parameters<typeof window.tokenVault.tokens.create>[0]): Promise<IssuedSecret<TokenDto>>;
  /** Saves what the user edits (name, notes, policy); its row is replaced. Throws CallError (the dialog shows it). */
  update(input: Parameters<typeof window.tokenVault.tokens.update>[0]): Promise<TokenDto>;
  /** Stores a token pasted into a manual workspace; its row is added and selected. Throws CallError. */
  add(input: Parameters<typeof window.tokenVault.tokens.add>[0]): Promise<TokenDto>;
  /** `expiresAt`: the new expiry, for services that take one with a renew (GitLab); the dialog said it before. */
  regenerate(tokenId: string, expiresAt?: string): Promise<IssuedSecret<TokenDto> | undefined>;
  revoke(tokenId: string): Promise<void>;
  setActive(tokenId: string, active: boolean): Promise<void>;
  /** Main copies (the page has no clipboard permission) and clears later; the failure, if any, is returned too. */
  copySecret(tokenId: string): Promise<AppError | undefined>;
  /** A secret the vault could not store, copied by main the same way. */
  copyUnsavedSecret(secret: string): Promise<AppError | undefined>;
  copyPrefix(tokenId: string): Promise<void>;
  copySnippet(tokenId: string, kind: SnippetKind): Promise<void>;
  clipboardCleared(): void;
  clearError(): void;
  /** The vault locked: forget everything. */
  reset(): void;
}

const initial = (): TokensState => ({
  tokens: [],
  index: EMPTY_INDEX,
  query: EMPTY_QUERY,
  selectedId: null,
  loading: false,
  status: '',
  clipboardClearsAt: null,
});

/** The rows with `changed` put in place (new ids appended) and `removed` left out. */
function patchRows(rows: readonly TokenDto[], changed: readonly TokenDto[], removed: readonly string[] = []): TokenDto[] {
  const byId = new Map(changed.map((t) => [t.id, t]));
  const gone = new Set(removed);
  const out: TokenDto[] = [];
  for (const t of rows) {
    if (gone.has(t.id)) continue;
    const next = byId.get(t.id);
    out.push(next ?? t);
    byId.delete(t.id);
  }
  return [...out, ...byId.values()];
}

export const useTokens = create<TokensState & TokensActions>()((set, get) => {
  const startCountdown = (seconds: number, what: string) =>
    set({ clipboardClearsAt: seconds > 0 ? Date.now() + seconds * 1000 : null, status: seconds > 0 ? `${what} copied. The clipboard clears in ${seconds} seconds.` : `${what} copied.` });
  const setRows = (tokens: TokenDto[]) => set({ tokens, index: indexTokens(tokens) });
  return {
    ...initial(),
    load: async () => {
      set({ loading: true });
      try {
        const tokens = await unwrap(window.tokenVault.tokens.list());
        set({ tokens, index: indexTokens(tokens), loading: false, loadError: undefined });
      } catch (e) {
        set({ loading: false, loadError: toAppError(e) });
      }
    },
    applyChange: (change) => {
      if (change.tokens === null) void get().load();
      else if (change.tokens.length > 0 || change.removedIds.length > 0) setRows(patchRows(get().tokens, change.tokens, change.removedIds));
    },
    upsert: (tokens) => setRows(patchRows(get().tokens, tokens)),
    setQuery: (patch) => set((s) => ({ query: { ...s.query, ...patch } })),
    select: (id) => set({ selectedId: id, actionError: undefined }),
    run: async (action, success) => {
      set({ actionError: undefined });
      try {
        const value = await action();
        if (success) set({ status: success });
        return value;
      } catch (e) {
        set({ actionError: toAppError(e) });
        return undefined;
      }
    },
    create: async (input) => {
      const issued = await unwrap(window.tokenVault.tokens.create(input));
      get().upsert([issued.token]);
      get().select(issued.token.id);
      return issued;
    },
    update: async (input) => {
      const token = await unwrap(window.tokenVault.tokens.update(input));
      get().upsert([token]);
      return token;
    },
    add: async (input) => {
      const token = await unwrap(window.tokenVault.tokens.add(input));
      get().upsert([token]);
      get().select(token.id);
      return token;
    },
    regenerate: (tokenId, expiresAt) =>
      get().run(async () => {
        const issued = await unwrap(window.tokenVault.tokens.regenerate(expiresAt ? { tokenId, expiresAt } : { tokenId }));
        get().upsert([issued.token]);
        return issued;
      }, 'Token regenerated.'),
    revoke: async (tokenId) => {
      await get().run(async () => get().upsert([await unwrap(window.tokenVault.tokens.revoke({ tokenId }))]), 'Token revoked.');
    },
    setActive: async (tokenId, active) => {
      await get().run(async () => get().upsert([await unwrap(window.tokenVault.tokens.setActive({ tokenId, active }))]), active ? 'Token activated.' : 'Token deactivated.');
    },
    copySecret: async (tokenId) => {
      try {
        const { clearsInSeconds } = await unwrap(window.tokenVault.tokens.copySecret({ tokenId }));
        startCountdown(clearsInSeconds, 'Secret');
        return undefined;
      } catch (e) {
        const error = toAppError(e);
        set({ actionError: error });
        return error;
      }
    },
    copyUnsavedSecret: async (secret) => {
      try {
        const { clearsInSeconds } = await unwrap(window.tokenVault.tokens.copyUnsavedSecret({ secret }));
        startCountdown(clearsInSeconds, 'Secret');
        return undefined;
      } catch (e) {
        return toAppError(e);
      }
    },
    copyPrefix: async (tokenId) => {
      try {
        await unwrap(window.tokenVault.tokens.copyPrefix({ tokenId }));
        set({ status: 'Prefix copied.' });
      } catch (e) {
        set({ actionError: toAppError(e) });
      }
    },
    copySnippet: async (tokenId, kind) => {
      try {
        const { clearsInSeconds } = await unwrap(window.tokenVault.tokens.copySnippet({ tokenId, kind }));
        startCountdown(clearsInSeconds, 'Snippet');
      } catch (e) {
        set({ actionError: toAppError(e) });
      }
    },
    clipboardCleared: () => set({ clipboardClearsAt: null, status: 'Clipboard cleared.' }),
    clearError: () => set({ actionError: undefined }),
    reset: () => set(initial()),
  };
});
