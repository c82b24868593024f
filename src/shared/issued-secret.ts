/**
 * A secret a service has just issued, with the token it belongs to: the one name for it on every side (the provider
 * returns `IssuedSecret<RemoteToken>`, the use cases `IssuedSecret<TokenSummary>`, the window gets
 * `IssuedSecret<TokenDto>`). It is shown once; the vault stores it before anyone sees it, or hands it back in the
 * error (`AppError.unsavedSecret`) when it cannot.
 */
export interface IssuedSecret<T> {
  token: T;
  secret: string;
  /** The service renewed the token but kept its old expiry (Strapi regenerate): a new lifetime needs a new token. */
  keptExpiry?: boolean;
}

/**
 * The longest secret Token Vault takes from a person (a paste in the window, stdin of the command line): far above any
 * real token, low enough that a wrong file piped in is refused instead of stored.
 */
export const MAX_SECRET_CHARS = 16_384;
