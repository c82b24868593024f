import { memo, useEffect, useState } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { ConfirmDeployedDialog } from '../dialogs/confirm-deployed-dialog';
import { ConfirmRegenerateDialog } from '../dialogs/confirm-regenerate-dialog';
import { DeleteTokenDialog } from '../dialogs/delete-token-dialog';
import { EditTokenDialog } from '../dialogs/edit-token-dialog';
import { RevealAgainDialog } from '../dialogs/reveal-again-dialog';
import { RevokeDialog } from '../dialogs/revoke-dialog';
import { RotateDialog } from '../dialogs/rotate-dialog';
import { SnippetsDialog } from '../dialogs/snippets-dialog';
import { unwrap } from '../stores/call';
import { expirySentence, urgencyOf } from '../lib/expiry-signal';
import { formatDateTime, formatLastUsed } from '../lib/format';
import { ariaKeys } from '../lib/shortcuts';
import { keptExpiryNote } from '../lib/words';
import { useReveal } from '../stores/reveal-store';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';
import { ErrorNote } from '../components/error-note';
import { ExternalLink } from '../components/external-link';
import { PROVIDER_HELP_URLS, tokenPageUrlOf } from '../../../shared/provider-links';
import { AttentionBadges, awaitsConfirmation, StatusBadge } from '../components/status-badge';
import { ProviderMark } from '../components/provider-mark';
import { UsedIn } from './used-in-section';

type Open = 'reveal' | 'regenerate' | 'revoke' | 'edit' | 'snippets' | 'rotate' | 'confirm-deployed' | 'delete' | null;

/** Seconds left until main clears the clipboard, ticking once a second. */
function ClipboardCountdown() {
  const clearsAt = useTokens((s) => s.clipboardClearsAt);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (clearsAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [clearsAt]);
  if (clearsAt === null) return null;
  const left = Math.max(0, Math.ceil((clearsAt - now) / 1000));
  return (
    <p className="countdown" role="timer" aria-live="off">
      Clipboard clears in {left} s
    </p>
  );
}

/** Memoized: a search keystroke re-renders the screen around it, not the details of the same token. */
export const TokenDetails = memo(function TokenDetails({ token, now }: { token: TokenDto; now: number }) {
  const provider = useWorkspaces((s) => s.providers.find((p) => p.kind === token.providerKind));
  const workspace = useWorkspaces((s) => s.workspaces.find((w) => w.id === token.workspaceId));
  const tokenPage = workspace ? tokenPageUrlOf(workspace) : null;
  const helpUrl = PROVIDER_HELP_URLS[token.providerKind];
  // One field each, not the whole store: the whole store would re-render the details at every search keystroke.
  const copySecret = useTokens((s) => s.copySecret);
  const copyPrefix = useTokens((s) => s.copyPrefix);
  const regenerate = useTokens((s) => s.regenerate);
  const revoke = useTokens((s) => s.revoke);
  const setActive = useTokens((s) => s.setActive);
  const run = useTokens((s) => s.run);
  const actionError = useTokens((s) => s.actionError);
  const show = useReveal((s) => s.show);
  const [open, setOpen] = useState<Open>(null);
  const caps = provider?.capabilities;
  const live = token.status === 'active' || token.status === 'inactive';
  const atService = token.providerKind !== 'manual';

  return (
    <section className="details" aria-labelledby="details-title">
      <div className="details-head">
        <ProviderMark kind={token.providerKind} label={provider?.label ?? token.providerKind} size="large" />
        <h2 id="details-title" tabIndex={-1}>
          {token.name}
        </h2>
        <div className="badges">
          <StatusBadge token={token} now={now} />
          <AttentionBadges token={token} now={now} />
        </div>
      </div>
      <dl className="facts">
        <dt>Workspace</dt>
        <dd>
          {token.workspaceName} · {provider?.label ?? token.providerKind}
        </dd>
        {(tokenPage || helpUrl) && (
          <>
            <dt>Links</dt>
            <dd className="links">
              {tokenPage && (
                <ExternalLink url={tokenPage} workspaceId={token.workspaceId}>
                  Token page
                </ExternalLink>
              )}
              {tokenPage && helpUrl && ' · '}
              {helpUrl && <ExternalLink url={helpUrl}>About {provider?.label ?? token.providerKind} tokens</ExternalLink>}
            </dd>
          </>
        )}
        <dt>Prefix</dt>
        <dd>
          <code>{token.prefix ?? '—'}</code>
        </dd>
        {token.description && (
          <>
            <dt>Description</dt>
            <dd>{token.description}</dd>
          </>
        )}
        {(token.type || token.scopes.length > 0) && (
          <>
            <dt>Type and scopes</dt>
            <dd>{[token.type, token.scopes.join(', ')].filter(Boolean).join(' · ')}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatDateTime(token.createdAt)}</dd>
        <dt>Expires</dt>
        <dd className={`urgency-${urgencyOf(token, now)}`}>{token.expiresAt ? `${formatDateTime(token.expiresAt)} (${expirySentence(token, now).toLowerCase()})` : 'Never'}</dd>
        {(caps?.lastUsed !== false || token.lastUsedAt !== null) && (
          <>
            <dt>Last used</dt>
            <dd>{formatLastUsed(token.lastUsedAt)}</dd>
          </>
        )}
        {token.usageCount !== null && (
          <>
            <dt>Usage</dt>
            <dd>{token.usageCount.toLocaleString()} calls</dd>
          </>
        )}
        <dt>Rotation</dt>
        <dd>
          {token.rotationPolicy ? `Every ${token.rotationPolicy.rotateEveryDays} days` : 'No policy of its own'}
          {token.rotationDueOn ? ` · due ${token.rotationDueOn}` : ''}
        </dd>
        <dt>Secret</dt>
        <dd>{token.hasSecret ? 'Stored encrypted in the vault' : 'Not stored (listed by a sync)'}</dd>
        {token.notes && (
          <>
            <dt>Notes</dt>
            <dd className="pre">{token.notes}</dd>
          </>
        )}
      </dl>

      <div className="actions" role="group" aria-label="Token actions">
        {token.hasSecret && (
          <button type="button" onClick={() => void copySecret(token.id)} aria-keyshortcuts={ariaKeys('copy-secret')}>
            Copy secret
          </button>
        )}
        {token.prefix && (
          <button type="button" className="secondary" onClick={() => void copyPrefix(token.id)} aria-keyshortcuts={ariaKeys('copy-prefix')}>
            Copy prefix
          </button>
        )}
        {token.hasSecret && (
          <button type="button" className="secondary" onClick={() => setOpen('reveal')}>
            Reveal…
          </button>
        )}
      </div>
      <div className="actions secondary-actions" role="group" aria-label="More actions">
        {token.hasSecret && (
          <button type="button" className="secondary small" onClick={() => setOpen('snippets')}>
            Usage snippets…
          </button>
        )}
        <button type="button" className="secondary small" onClick={() => setOpen('edit')}>
          Edit…
        </button>
        {atService && live && caps && caps.renew !== 'none' && (
          <button type="button" className="secondary small" onClick={() => setOpen('regenerate')}>
            Regenerate…
          </button>
        )}
        {live && !token.replacedById && (
          <button type="button" className="secondary small" onClick={() => setOpen('rotate')}>
            Rotate now…
          </button>
        )}
        {awaitsConfirmation(token) && (
          <button type="button" className="small" onClick={() => setOpen('confirm-deployed')}>
            Confirm deployed…
          </button>
        )}
        {atService && live && caps && caps.activate !== 'none' && (
          <button
            type="button"
            className="secondary small"
            onClick={() => void setActive(token.id, token.status !== 'active')}
          >
            {token.status === 'active' ? 'Deactivate' : 'Activate'}
          </button>
        )}
        {(token.expiry === 'warning' || token.expiry === 'expired' || token.rotationDue) && (
          <button
            type="button"
            className="secondary small"
            onClick={() => void run(() => unwrap(window.tokenVault.reminders.snoozeToken({ tokenId: token.id, for: '7d' })), 'Reminder snoozed for a week.')}
          >
            Snooze a week
          </button>
        )}
        {atService && live && caps?.revoke && (
          <button type="button" className="danger small" onClick={() => setOpen('revoke')}>
            Revoke…
          </button>
        )}
        <button type="button" className="danger small" onClick={() => setOpen('delete')}>
          Delete…
        </button>
      </div>
      <ClipboardCountdown />
      <ErrorNote error={actionError} />
      {token.hasSecret && <UsedIn token={token} />}

      {open === 'reveal' && <RevealAgainDialog token={token} onClose={() => setOpen(null)} />}
      {open === 'snippets' && <SnippetsDialog token={token} onClose={() => setOpen(null)} />}
      {open === 'rotate' && <RotateDialog token={token} onClose={() => setOpen(null)} />}
      {open === 'confirm-deployed' && <ConfirmDeployedDialog token={token} onClose={() => setOpen(null)} />}
      {open === 'edit' && (
        <EditTokenDialog
          token={token}
          onClose={() => setOpen(null)}
          onSaved={() => setOpen(null)}
        />
      )}
      {open === 'regenerate' && (
        <ConfirmRegenerateDialog
          token={token}
          caps={caps}
          label={provider?.label ?? token.providerKind}
          onClose={() => setOpen(null)}
          onConfirm={(expiresAt) => {
            setOpen(null);
            void regenerate(token.id, expiresAt).then((issued) => {
              if (issued)
                show({ title: 'Your regenerated token', tokenName: issued.token.name, tokenId: issued.token.id, secret: issued.secret, notes: issued.keptExpiry ? [keptExpiryNote(provider?.label ?? token.providerKind, issued.token.expiresAt)] : [] });
            });
          }}
        />
      )}
      {open === 'delete' && (
        <DeleteTokenDialog token={token} serviceLabel={provider?.label ?? token.providerKind} canRevoke={Boolean(caps?.revoke)} onClose={() => setOpen(null)} onDone={() => setOpen(null)} />
      )}
      {open === 'revoke' && (
        <RevokeDialog
          token={token}
          onClose={() => setOpen(null)}
          onConfirm={() => {
            setOpen(null);
            void revoke(token.id);
          }}
        />
      )}
    </section>
  );
});
