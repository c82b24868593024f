import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { renewExpiry, type ProviderCapabilities } from '../../../shared/provider-capabilities';
import { formatDate, formatExpiry } from '../lib/format';

const DAY = 86_400_000;
/** `keep`: the token's current expiry date; otherwise days from now. */
export type RenewChoice = 'keep' | '30' | '90' | '365';

/** The expiry a renew sends for a choice; undefined = nothing to send (the service keeps or decides it). */
export function renewExpiresAt(token: TokenDto, caps: ProviderCapabilities | undefined, choice: RenewChoice, now = Date.now()): string | undefined {
  if (!caps || renewExpiry(caps) !== 'takes-date') return undefined;
  if (choice === 'keep') return token.expiresAt !== null && Date.parse(token.expiresAt) > now + DAY ? token.expiresAt : new Date(now + 90 * DAY).toISOString();
  return new Date(now + Number(choice) * DAY).toISOString();
}

/**
 * Every expiry change stated before it happens: the service keeps the date (Strapi, Cloudflare's roll), or takes the
 * one chosen here (GitLab, which would otherwise cut the token to its default, a week), or decides by itself.
 */
export function RenewExpiry({ token, caps, label, choice, onChoice }: { token: TokenDto; caps: ProviderCapabilities | undefined; label: string; choice: RenewChoice; onChoice(c: RenewChoice): void }) {
  if (!caps) return null;
  const kind = renewExpiry(caps);
  if (kind === 'keeps') return <p className="note">{label} keeps the current expiry: {formatExpiry(token.expiresAt)}. For a new lifetime, create a new token instead.</p>;
  if (kind === 'service-decides') return <p className="note">{label} decides the new token&apos;s expiry.</p>;
  const keep = renewExpiresAt(token, caps, 'keep');
  const defaultDays = caps.renewDefaultExpiryDays;
  return (
    <div className="field">
      <label htmlFor="renew-expiry">New expiry</label>
      <select id="renew-expiry" value={choice} onChange={(e) => onChoice(e.target.value as RenewChoice)} aria-describedby="renew-expiry-help">
        <option value="keep">{token.expiresAt && keep === token.expiresAt ? `Keep the current expiry (${formatDate(keep)})` : `In 90 days (${formatDate(keep ?? null)})`}</option>
        <option value="30">In 30 days</option>
        <option value="90">In 90 days</option>
        <option value="365">In a year</option>
      </select>
      <p id="renew-expiry-help" className="hint">
        The new token expires on {formatDate(renewExpiresAt(token, caps, choice) ?? null)}.
        {defaultDays ? ` Without a date ${label} would set ${defaultDays} days from today, so Token Vault always sends this one.` : ''}
      </p>
    </div>
  );
}
