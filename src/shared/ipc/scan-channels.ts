import { z } from 'zod';
import type { SecretEncoding, SkipReason, SuggestedTarget } from '../scan';
import { MUTATES, returns } from './define-channel';

/**
 * scan:* — "Scan for tokens" in the window: the user picks a folder in the OS dialog (main keeps its path behind an
 * id), main scans it (and, when asked, the well-known home files) for the vault's secrets and for likely tokens that
 * are not in the vault. Findings carry files, lines and token names, never a secret: an unknown token is shown by its
 * documented prefix and length, and adding it to the vault has main read it from the file again.
 */
const Id = z.string().min(1).max(200);

/** A folder the user picked in the OS dialog. `path` is shown (it is the user's own choice), never sent back. */
export interface ChosenScanFolder {
  folderId: string;
  path: string;
}

/** Where a finding would be linked as a deployment target (the file's format and key); null: link it by hand. */
export type ScanTargetSuggestion = Omit<SuggestedTarget, 'file'>;

export type ScanFinding =
  | {
      kind: 'stored';
      /** The finding's handle for the actions below; valid until the next scan or lock. */
      id: string;
      file: string;
      line: number;
      tokenId: string;
      workspace: string;
      token: string;
      reference: string;
      encoding: SecretEncoding;
      /** Where "Add as target" links it; null when the file is none of the known formats. */
      target: ScanTargetSuggestion | null;
      /** The token already has this target. */
      linked: boolean;
    }
  | {
      kind: 'unknown';
      id: string;
      file: string;
      line: number;
      /** The issuer's documented prefix (`npm_`), all that is shown of the token. */
      prefix: string;
      issuer: string;
      /** The whole token's length, prefix included. */
      length: number;
      /** A name for it, from the file (its variable or key), for the add form. */
      suggestedName: string;
      target: ScanTargetSuggestion | null;
    };

export interface ScanResult {
  findings: ScanFinding[];
  /** Findings past the listed maximum of each kind (a folder that big is better scanned in parts). */
  unlisted: number;
  skipped: { path: string; reason: SkipReason }[];
  filesScanned: number;
  bytesScanned: number;
  binaryFiles: number;
  /** The user stopped it: the findings are those of the files read until then. */
  cancelled: boolean;
}

export interface ScanProgress {
  filesScanned: number;
  bytesScanned: number;
  found: number;
  unknown: number;
}

export const StartScanInput = z
  .object({
    folderId: z.uuid(),
    /** Also the well-known files in the home folder (~/.npmrc, ~/.docker/config.json, ...). */
    homeFiles: z.boolean().optional(),
  })
  .strict();

export const AddFoundTokenInput = z
  .object({
    findingId: Id,
    workspaceId: Id,
    name: z.string().trim().min(1, 'Give the token a name.').max(255),
    description: z.string().max(1000).optional(),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
    /** Also link the file as a deployment target of the new token (where its format is known). */
    linkAsTarget: z.boolean().optional(),
  })
  .strict();

/** What adding a found token did: the new token, and the finding as it now reads (a place of that stored token). */
export interface FoundTokenAdded {
  tokenId: string;
  finding: Extract<ScanFinding, { kind: 'stored' }>;
  /** Linking as a target was asked for and failed: why (the token is stored either way). */
  linkFailure?: { code: string; message: string };
}

export const scanChannels = {
  /** Shows the OS folder dialog in main; null when the user cancels. */
  'scan:choose-folder': returns<ChosenScanFolder | null>().takes(z.undefined()),
  /** Scans the chosen folder; `scan:progress` events meanwhile. A new scan replaces the last one's findings. */
  'scan:start': returns<ScanResult>().takes(StartScanInput),
  /** Stops the running scan; it answers with what it found so far. */
  'scan:cancel': returns<{ cancelled: boolean }>().takes(z.undefined()),
  /** Links a stored secret's place as a deployment target of its token, as the command line's scan can. */
  'scan:add-target': returns<Extract<ScanFinding, { kind: 'stored' }>>().takes(z.object({ findingId: Id }).strict(), MUTATES),
  /** Stores an unknown token found in a file: main reads it from the file again; the window never holds it. */
  'scan:add-to-vault': returns<FoundTokenAdded>().takes(AddFoundTokenInput, MUTATES),
} as const;

export interface ScanEvents {
  'scan:progress': ScanProgress;
}
