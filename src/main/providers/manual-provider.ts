import { AppFailure } from '../errors';
import { baseCapabilities, COMMON_PRESETS } from './provider-support';
import type { Provider } from './provider-types';
import { NOT_CHECKABLE } from './secret-check-support';

const noApi = () => {
  throw new AppFailure('unsupported', 'A manual workspace has no admin API: create the token on the service\'s token page, then paste it into Token Vault.');
};

/** Services with no admin API: the user pastes tokens, sets their expiry and rotation policy, and keeps a link. */
export const manualProvider: Provider = {
  kind: 'manual',
  label: 'Manual (no admin API)',
  capabilities: {
    ...baseCapabilities,
    create: false,
    list: false,
    revoke: false,
    expiry: 'date',
    expiryPresets: COMMON_PRESETS,
    editExpiry: true,
    freeScopes: true,
    remoteNames: false,
    notes: ['Tokens are pasted in; Token Vault reminds you before they expire and when rotation is due, and links to the token page.'],
  },
  fields: { baseUrl: 'optional', username: 'unused', adminSecret: 'unused', tokenPageUrl: 'optional' },
  rateLimit: { perSecond: 1, burst: 1 },
  verify: async (ctx) => ({ account: ctx.workspace.name }),
  // No API to try a pasted token against.
  checkSecret: async () => NOT_CHECKABLE,
  // Nothing to sync: the vault holds everything there is.
  list: async () => [],
  create: async () => noApi(),
};
