import { defineConfig } from '@playwright/test';

// The same specs run twice: in Debian's Chromium against the built renderer with the real service behind a bridge,
// and in real Electron where a binary exists (skipped, with the reason, where it does not).
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Two spec files at once (each its own browser, service and user-data folder): CI has two cores.
  workers: 2,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
  projects: [{ name: 'chromium' }, { name: 'electron' }],
});
