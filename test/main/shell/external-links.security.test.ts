import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../../src/main/use-cases/external-links';

describe('the safe opener lets only allow-listed https links out', () => {
  it.each([
    'https://gitlab.com/-/user_settings/personal_access_tokens',
    'https://dash.cloudflare.com/profile/api-tokens',
    'https://www.npmjs.com/settings/me/tokens',
  ])('opens %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    ['plain http', 'http://gitlab.com/'],
    ['a host that only ends like an allowed one', 'https://evilgitlab.com/'],
    ['a subdomain trick', 'https://gitlab.com.evil.example/'],
    ['credentials in the URL', 'https://user:pass@gitlab.com/'],
    ['a file URL', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(1)'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_why, url) => expect(isAllowedExternalUrl(url)).toBe(false));

  it('opens a workspace host the user registered', () => {
    expect(isAllowedExternalUrl('https://git.example.com/-/profile', ['git.example.com'])).toBe(true);
    expect(isAllowedExternalUrl('https://git.example.com/-/profile')).toBe(false);
  });
});
