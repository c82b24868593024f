/**
 * The Content-Security-Policy of the app's page. src/renderer/index.html carries it as a meta tag (file:// pages have
 * no response headers); test/main/shell/window-options.security.test.ts checks that the two agree, and the
 * end-to-end server sends it as a header too.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
