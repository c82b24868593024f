import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSenderCheck } from '../../../src/main/shell/trusted-sender';

const rendererFile = '/opt/Token Vault/resources/app.asar/out/renderer/index.html';
const appUrl = pathToFileURL(rendererFile).href;

describe('only the app page is a trusted sender', () => {
  const packaged = createSenderCheck({ rendererFile });
  const dev = createSenderCheck({ rendererFile, devServerUrl: 'http://localhost:5173/' });

  it('trusts the packaged page, with or without a hash', () => {
    expect(packaged({ isMainFrame: true, url: appUrl })).toBe(true);
    expect(packaged({ isMainFrame: true, url: `${appUrl}#/tokens` })).toBe(true);
  });

  it('refuses other files, other origins and garbage', () => {
    expect(packaged({ isMainFrame: true, url: pathToFileURL('/tmp/evil.html').href })).toBe(false);
    expect(packaged({ isMainFrame: true, url: 'https://evil.example/' })).toBe(false);
    expect(packaged({ isMainFrame: true, url: 'http://localhost:5173/' })).toBe(false);
    expect(packaged({ isMainFrame: true, url: '' })).toBe(false);
  });

  it('trusts the dev server origin only while developing', () => {
    expect(dev({ isMainFrame: true, url: 'http://localhost:5173/index.html' })).toBe(true);
    expect(dev({ isMainFrame: true, url: 'http://localhost:5174/' })).toBe(false);
  });
});
