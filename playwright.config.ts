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
  // Two spec files at once (each its own browser context, service and user-data folder): CI has two cores.
  workers: 2,
  reporter: [['list']],
  // Recording a trace of every test to keep only the failed ones' cost ~20% of the CPU of a passing run (keyboard.spec:
  // 22.4 s with, 18.0 s without). A failed test runs once more, traced: every failure still leaves a trace
  // (test-results/playwright), and a test that passes only the second time is "flaky", which npm test counts as failed.
  retries: 1,
  use: { trace: 'on-first-retry', screenshot: 'only-on-failure' },
  projects: [{ name: 'chromium' }, { name: 'electron' }],
});
