import { AppFailure } from '../../errors';

/** The one URL policy for every service address: workspaces added or edited, every request, every redirect hop. */

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** https anywhere; plain http only to this machine, where nothing travels over a network. */
export function assertSafeUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppFailure('invalid-argument', 'The service URL is not a valid URL. Use the form https://host[:port][/path].');
  }
  if (url.username || url.password) {
    // A credential in the URL would be stored as the workspace address and shown in the window; it goes in its own field.
    throw new AppFailure('invalid-argument', 'The service URL must not contain a user name or password. Put the credential in the admin credential field.');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new AppFailure(
      'insecure-url',
      `Refusing plain http:// to ${url.hostname}: credentials would travel unencrypted. Use https:// (plain http is allowed only for localhost).`,
    );
  }
  throw new AppFailure('insecure-url', `Unsupported URL scheme ${url.protocol} Use https://.`);
}
