import { describe, expect, it } from 'vitest';
import { errorLine } from '../../src/cli/cli-words';

describe('the command line words each no-answer cause with where to look', () => {
  it('refused, unresolvable, timeout: main says what happened, the CLI names its flag', () => {
    expect(errorLine({ code: 'connection-refused', message: '127.0.0.1:1 refused the connection.' })).toBe(
      "127.0.0.1:1 refused the connection. Check the port in the workspace's URL (--url) and that the service is running.",
    );
    expect(errorLine({ code: 'host-not-found', message: 'x.invalid could not be resolved.' })).toMatch(/Check the host name .*--url/);
    expect(errorLine({ code: 'tls', message: 'The certificate is self-signed.' })).toBe('The certificate is self-signed.');
    // A next step main asked for wins over the hint.
    expect(errorLine({ code: 'timeout', message: 'Too slow.', next: 'sync' })).toMatch(/^Too slow\. Sync/);
  });
});
