import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Rooms: only the Electron shell and the preload may import `electron` (the app's entry, src/app, goes through the shell); only src/main/vault may
// import the native modules (better-sqlite3, keytar). Everything else must run under plain Node or in the page.
const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only src/main/shell/ and src/preload/ may import electron.' }],
};
const nativeOnlyInVault = [
  { name: 'better-sqlite3', message: 'Only src/main/vault/ may import better-sqlite3.' },
  { name: 'keytar', message: 'Only src/main/vault/ may import keytar.' },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'test/servers/*/node_modules/**', 'test/servers/strapi/**/.strapi/**', 'bench/data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [...electronOnlyInShell.paths, ...nativeOnlyInVault] }],
    },
  },
  {
    files: ['src/main/shell/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: nativeOnlyInVault }] },
  },
  {
    files: ['src/main/vault/**'],
    rules: { 'no-restricted-imports': ['error', { paths: electronOnlyInShell.paths }] },
  },
  {
    files: ['src/main/**', 'src/preload/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/shared/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', 'react', 'react-dom'], message: 'src/shared is pure TypeScript: no electron, node or DOM imports.' }] }],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [...electronOnlyInShell.paths, ...nativeOnlyInVault], patterns: [{ group: ['node:*', '**/main/**'], message: 'The renderer talks to main only through window.tokenVault.' }] }],
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off', 'no-console': 'off' },
  },
  {
    // Playwright fixtures declare their dependencies with a destructuring pattern, empty when there are none.
    files: ['test/e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    // The real Strapi test server is a CommonJS project, configured the way Strapi expects.
    files: ['test/servers/strapi/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
