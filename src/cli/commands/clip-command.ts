import { AppFailure } from '../../main/errors';
import { holdInClipboard } from '../../main/use-cases/clipboard-hold';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { withVault } from '../open-vault';
import { clearStatus, printJson, say, showStatus } from '../output';
import { systemClipboard } from '../system-clipboard';
import { resolveTokenRef, tokenRef } from '../token-ref';

function parseSeconds(text: string): number {
  const m = /^(\d{1,5})s?$/.exec(text.trim());
  if (!m) throw new UsageError(`--timeout takes seconds like 30 (0 = never clear), not "${text}".`);
  return Number(m[1]);
}

/**
 * Waits `seconds`, counting down on a terminal; Ctrl+C (or a kill) ends the wait early, so the clipboard is still
 * cleared. Resolves with the signal that ended it, if one did.
 */
function countdown(ctx: CliContext, seconds: number): Promise<NodeJS.Signals | null> {
  const live = process.stdout.isTTY === true && !ctx.json;
  return new Promise((resolve) => {
    let left = seconds;
    const show = () => live && showStatus(ctx.stdout, `Clearing the clipboard in ${left} s (Ctrl+C clears it now)... `);
    const done = (signal: NodeJS.Signals | null) => {
      clearInterval(tick);
      process.off('SIGINT', onInt).off('SIGTERM', onTerm).off('SIGHUP', onHup);
      if (live) clearStatus(ctx.stdout);
      resolve(signal);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    const onHup = () => done('SIGHUP');
    process.once('SIGINT', onInt).once('SIGTERM', onTerm).once('SIGHUP', onHup);
    show();
    const tick = setInterval(() => {
      left--;
      if (left <= 0) done(null);
      else show();
    }, 1000);
  });
}

export const clipCommand: CliCommand = {
  summary: "Copy a token's secret to the clipboard and clear it after a while, if it still holds it (audited).",
  usage: 'clip W/N|ID [--timeout SECONDS]',
  details: [
    '--timeout: seconds until the clipboard is cleared (default: the vault setting, 30 s; 0 = leave it). The command',
    'waits that long, as keepassxc-cli clip does; Ctrl+C clears the clipboard at once. Something copied meanwhile is',
    'left alone. Uses wl-copy on Wayland, xclip or xsel on X11, pbcopy on macOS.',
  ],
  options: { timeout: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const given = typeof values['timeout'] === 'string' ? parseSeconds(values['timeout']) : undefined;
    // No clipboard: fail before the secret is read (and audited as copied).
    const clipboard = systemClipboard(ctx.env);
    const { secret, ref, id, seconds } = await withVault(ctx, (vault) => {
      const token = resolveTokenRef(vault, positionals[0] ?? '');
      const value = vault.tokens.readSecret(token.id, { action: 'copied', actor: 'cli', detail: `clipboard (${clipboard.program})` });
      if (value === null) throw new AppFailure('secret-not-stored', 'The vault holds no secret for this token (a sync listed it): regenerate it to get one.');
      return { secret: value, ref: tokenRef(vault, token.id) ?? token.id, id: token.id, seconds: given ?? vault.settings.get().clipboardClearSeconds };
    });
    const release = await holdInClipboard(clipboard, secret);
    if (seconds === 0) {
      if (ctx.json) printJson(ctx, { id, token: ref, copied: true, clearAfterSeconds: 0, cleared: false });
      else say(ctx.stdout, `Copied the secret of ${ref} to the clipboard. It stays there (--timeout 0).`);
      return 0;
    }
    if (!ctx.json) say(ctx.stdout, `Copied the secret of ${ref} to the clipboard.`);
    const signal = await countdown(ctx, seconds);
    const cleared = await release();
    if (ctx.json) printJson(ctx, { id, token: ref, copied: true, clearAfterSeconds: seconds, cleared });
    else say(ctx.stdout, cleared ? 'Clipboard cleared.' : 'The clipboard holds something else now: left as it is.');
    return signal === null ? 0 : 130;
  },
};
