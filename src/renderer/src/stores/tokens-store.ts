import { create } from 'zustand';
import type { TokenViewDto } from '../../../shared/ipc/token-view-channels';
import type { SnippetKind } from '../../../shared/token-snippets';
import type { IssuedSecretDto } from '../../../shared/ipc/tokens-channels';
import type { RotationOutcome } from '../../../shared/ipc/rotation-channels';
import type { AppError } from '../../../shared/result';
import { toAppError, unwrap } from '../lib/call';
import { useReveal } from './reveal-store';
import { EMPTY_INDEX, EMPTY_QUERY, indexTokens, type TokenIndex, type TokenQuery } from '../lib/token-query';

export interface TokensState {
  /** Every token summary main sent (never a secret); replaced wholesale on each load. */
  tokens: TokenViewDto[];
  /** Search text and dates as numbers, built once per load so a keystroke or a sort only scans. */
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
  setQuery(patch: Partial<TokenQuery>): void;
  select(id: string | null): void;
  /** Runs an action that changes tokens, reloads the list, and records a failure instead of throwing. */
  run<T>(action: () => Promise<T>, success?: string): Promise<T | undefined>;
  create(input: Parameters<typeof window.tokenVault.tokens.create>[0]): Promise<IssuedSecretDto | undefined>;
  regenerate(tokenId: string): Promise<IssuedSecretDto | undefined>;
  /** Rotate now; `expiresAt` where the service takes a new expiry (GitLab rotate, the create-new flow). */
  rotate(tokenId: string, expiresAt?: string): Promise<RotationOutcome | undefined>;
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

export const useTokens = create<TokensState & TokensActions>()((set, get) => {
  const startCountdown = (seconds: number, what: string) =>
    set({ clipboardClearsAt: seconds > 0 ? Date.now() + seconds * 1000 : null, status: seconds > 0 ? `${what} copied. The clipboard clears in ${seconds} seconds.` : `${what} copied.` });
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
    setQuery: (patch) => set((s) => ({ query: { ...s.query, ...patch } })),
    select: (id) => set({ selectedId: id, actionError: undefined }),
    run: async (action, success) => {
      set({ actionError: undefined });
      try {
        const value = await action();
        if (success) set({ status: success });
        await get().load();
        return value;
      } catch (e) {
        const error = toAppError(e);
        // A secret the service issued but the vault could not store: shown once so it is never lost.
        if (error.unsavedSecret) useReveal.getState().show({ title: 'Save this secret now', tokenName: '', secret: error.unsavedSecret, notes: [error.message] });
        set({ actionError: { code: error.code, message: error.message } });
        await get().load();
        return undefined;
      }
    },
    create: (input) => get().run(() => unwrap(window.tokenVault.tokens.create(input))),
    regenerate: (tokenId) => get().run(() => unwrap(window.tokenVault.tokens.regenerate({ tokenId })), 'Token regenerated.'),
    rotate: (tokenId, expiresAt) => get().run(() => unwrap(window.tokenVault.rotation.rotateToken(expiresAt ? { tokenId, expiresAt } : { tokenId })), 'Rotation started.'),
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
