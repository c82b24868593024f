import { runnerImport } from 'vite';
const { module: m } = await runnerImport('/work/main/src/main/vault/index.ts');
const path = 'bench/data/tv-10000.db';
for (let r = 0; r < 6; r++) {
  let t = performance.now();
  const v = m.Vault.open(path, { keychain: m.noKeychain });
  const tOpen = performance.now() - t; t = performance.now();
  await v.unlockWithPassword('bench-password');
  const tUnlock = performance.now() - t; t = performance.now();
  const all = v.listTokens();
  const tList = performance.now() - t;
  console.log({ tOpen: tOpen.toFixed(1), tUnlock: tUnlock.toFixed(1), tList: tList.toFixed(1), n: all.length });
  v.close();
}
