import { z } from 'zod';
import { REMOTE_STATUSES } from '../../shared/token-status';

/**
 * One token as a service lists it, normalised: the one definition, used by every provider and read back from the
 * rotation journal (which keeps the service's answer until the vault holds it). Never holds the secret.
 */
export const RemoteTokenSchema = z.lazy(() =>
  z.object({
    /** The service's id (Vault: accessor; npm: key; composite ids like `sa:12/tok:5` where the service nests them). */
    remoteId: z.string(),
    /** The service's name, or a made-up one where the service has none (npm); see capabilities.remoteNames. */
    name: z.string(),
    description: z.string().nullable(),
    /** A masked or partial form of the secret the service shows (`MzUxM...wZTI=`, `…a1b2c3d4`), if any. */
    masked: z.string().nullable(),
    /** Token type the service knows (Strapi `read-only`, GitLab `project`, OpenAI `admin`...). */
    type: z.string().nullable(),
    scopes: z.array(z.string()),
    createdAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    usageCount: z.number().nullable(),
    status: z.enum(REMOTE_STATUSES),
  }),
);
export type RemoteToken = z.infer<typeof RemoteTokenSchema>;
