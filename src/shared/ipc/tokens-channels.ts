import { z } from 'zod';
import { returns } from './define-channel';

/** A token as the renderer sees it: never the secret. */
export interface TokenDto {
  id: string;
  workspaceId: string;
  remoteId: string | null;
  name: string;
  description: string | null;
  prefix: string | null;
  type: string | null;
  scopes: string[];
  hasSecret: boolean;
  status: 'active' | 'inactive' | 'expired' | 'revoked' | 'revoked-remote';
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  usageCount: number | null;
}

/** The one-time reveal after create / regenerate: the only answer that carries a secret. */
export interface IssuedSecretDto {
  token: TokenDto;
  secret: string;
  /** E.g. Strapi: "regenerate kept the old expiry; re-create for a new lifetime". */
  notice: string | null;
}

const Id = z.string().min(1).max(100);

export const CreateTokenInput = z
  .object({
    workspaceId: Id,
    name: z.string().trim().min(1, 'Give the token a name.').max(255),
    description: z.string().max(1000).optional(),
    /** ISO date; null = never expires (where the service allows). */
    expiresAt: z.string().max(40).nullable().optional(),
    /** A preset id from the provider's capabilities (`7d`, `30d`, `never`...). */
    expiryPreset: z.string().max(20).optional(),
    type: z.string().max(100).optional(),
    scopes: z.array(z.string().max(200)).max(100).optional(),
  })
  .strict();

/** Channels for token operations at the service (create, regenerate, revoke, activate/deactivate). */
export const tokenOperationChannels = {
  'tokens:create': returns<IssuedSecretDto>().takes(CreateTokenInput),
  'tokens:regenerate': returns<IssuedSecretDto>().takes(z.object({ tokenId: Id, expiresAt: z.string().max(40).nullable().optional() }).strict()),
  'tokens:revoke': returns<TokenDto>().takes(z.object({ tokenId: Id }).strict()),
  'tokens:set-active': returns<TokenDto>().takes(z.object({ tokenId: Id, active: z.boolean() }).strict()),
} as const;
