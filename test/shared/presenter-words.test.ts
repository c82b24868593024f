import { describe, expect, it } from 'vitest';
import { NEXT_STEPS } from '../../src/shared/result';
import type { RotationReport } from '../../src/shared/ipc/rotation-channels';
import * as cli from '../../src/cli/cli-words';
import * as win from '../../src/renderer/src/lib/words';

/** Main names the next step; each presenter says it in its own terms: commands and flags, or buttons. */
describe('the presenters word what main returns', () => {
  it.each(NEXT_STEPS)('next step %s: the command line names a command or where to go, the window never does', (next) => {
    expect(cli.nextStepWords(next)).not.toBe('');
    expect(win.nextStepWords(next)).not.toBe('');
    expect(win.nextStepWords(next)).not.toMatch(/token-vault|--[a-z]/);
    if (next !== 'revoke-by-hand') expect(cli.nextStepWords(next)).toMatch(/`token-vault [a-z]/);
  });

  it('an error with a field and a next step reads as one line on the command line', () => {
    expect(cli.errorLine({ message: 'GitLab workspaces need a URL.', field: 'baseUrl' })).toBe('--url: GitLab workspaces need a URL.');
    expect(cli.errorLine({ message: 'A rotation of "ci" is unfinished.', next: 'resume' })).toBe('A rotation of "ci" is unfinished. Run `token-vault token resume` to finish it.');
    expect(win.errorText({ message: 'A rotation of "ci" is unfinished.', next: 'resume' })).toMatch(/^A rotation of "ci" is unfinished\. Token Vault finishes it/);
  });

  it('a resume report keeps its --json shape and never carries more than main sent', () => {
    const report: RotationReport = { rotationId: 'r1', tokenId: 't1', step: 'created', state: 'awaiting-confirmation', finding: { what: 'stored-created-token' }, next: 'confirm', secret: 's3cr3t', newTokenId: 't2' };
    const json = cli.reportJson(report);
    // Issue 12 added `token` (WORKSPACE/NAME) beside tokenId; nothing was renamed.
    expect(Object.keys(json)).toEqual(['rotationId', 'tokenId', 'token', 'step', 'state', 'message', 'secret', 'newTokenId']);
    expect(json.message).toMatch(/--confirm/);
    expect(json.message).not.toContain('s3cr3t');
    expect(win.reportMessage(report)).not.toMatch(/token-vault|--confirm|s3cr3t/);
  });
});
