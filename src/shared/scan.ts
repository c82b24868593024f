import type { FileTargetKind } from './deployment-targets';

/**
 * What `scan` reports, in the terms both the command line and the window use (one definition each).
 */

/** The forms a stored secret is found in on disk (see src/main/use-cases/scan/secret-encodings.ts for why). */
export const SECRET_ENCODINGS = ['exact', 'base64', 'base64url', 'url', 'json'] as const;
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

/** What stands in a shown text for a secret or a likely token: `run`'s masked output, a scanned file's path. */
export const CONCEALED = '<concealed by token-vault>';

/** Why a path was not read: reported by path; binary files and skipped folders are only counted. */
export type SkipReason = 'symlink-outside' | 'too-large' | 'unreadable';

/**
 * The deployment target a found secret most likely is, in the terms of the file targets (a path, a format, a key,
 * and a user for Docker).
 */
export interface SuggestedTarget {
  file: string;
  format: FileTargetKind;
  key: string;
  user?: string;
}

/**
 * The port a scan links its findings through. The deployment-target library (src/main/use-cases/targets/) implements
 * it; it lives here so that library needs nothing of the scan's (the scan uses targets, never the other way).
 */
export interface ScanTargetLinker {
  link(tokenId: string, target: SuggestedTarget): Promise<{ ok: true; targetId: string } | { ok: false; code: string; message: string }>;
}
