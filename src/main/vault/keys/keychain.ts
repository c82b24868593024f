import { createRequire } from 'node:module';
import { AppFailure } from '../../errors';
import { keytarAttributes, readSecretService, type SecretServiceRead, unixSocketOf } from './secret-service';

/** Service name under which every Token Vault key is kept in the OS keychain. */
export const KEYCHAIN_SERVICE = 'Token Vault';

/**
 * The OS keychain, as small as the vault needs. Values are base64 text (keytar stores strings).
 * Every method rejects with AppFailure('keychain-unavailable') when no keychain answers.
 */
export interface Keychain {
  /** True when a keychain / Secret Service answers on this machine (never throws). */
  isAvailable(): Promise<boolean>;
  /**
   * Starts asking for `account` now, for the `get` that will follow (the command line, while the vault's code loads),
   * so the unlock finds its answer there instead of making the round trip to the Secret Service then.
   */
  prefetch?(account: string): void;
  /**
   * Gives up the reads in flight (the one asked for ahead, when the open fails before it takes it): they would hold
   * the process until the bus answers. The keychain answers as unavailable afterwards.
   */
  cancel?(): void;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const UNAVAILABLE =
  'The OS keychain is not reachable (no Secret Service / keychain answered). Use the master password instead.';

/** The probe must not hang when a D-Bus session exists but no Secret Service answers. */
const PROBE_TIMEOUT_MS = 3000;
/**
 * A direct read (secret-service.ts): a bus silent this long is none, and a Secret Service that has not answered this
 * long is hung. None of the four calls waits for its user: a keyring's prompts come through keytar (Unlock's Prompt).
 */
const DIRECT_LIMITS = { silentMs: PROBE_TIMEOUT_MS, answerMs: PROBE_TIMEOUT_MS };
/** How long the early read may take before an absent entry is asked too (see probe). */
export const EARLY_READ_GRACE_MS = 200;

/**
 * Whether the Secret Service answers a read. An early read of the vault's own entry already in flight is that read:
 * a read of an absent entry beside it made the early answer 6 ms later and cost the keyring's daemons 5 ms more CPU
 * (a fresh process's first reads, measured), on a start that needs every core. Only when the early read fails, or has not answered within the grace, is the absent
 * entry asked: it answers at once even from a locked keyring, where the early read waits for its user at the
 * keyring's prompt (the unlock waits for that, not this).
 */
export function probe(readAbsent: () => Promise<unknown>, earlyRead: Promise<unknown> | undefined): Promise<boolean> {
  const answered = (read: Promise<unknown>) => read.then(() => true, () => false);
  if (!earlyRead) return answered(readAbsent());
  return new Promise((resolve) => {
    // false only once both reads have failed: an early read held at a prompt may still answer (as with Promise.any).
    let failed = 0;
    const settle = (ok: boolean) => (ok ? resolve(true) : ++failed === 2 && resolve(false));
    let asked = false;
    const askAbsent = () => {
      clearTimeout(grace);
      if (asked) return;
      asked = true;
      void answered(readAbsent()).then(settle);
    };
    const grace = setTimeout(askAbsent, EARLY_READ_GRACE_MS);
    void answered(earlyRead).then((ok) => {
      if (ok) clearTimeout(grace);
      else askAbsent();
      settle(ok);
    });
  });
}

/**
 * keytar behind the Keychain interface. keytar is loaded lazily, so a machine without libsecret (or the CLI run
 * with a master password) never pays for it, and a load failure is just "unavailable".
 *
 * On Linux, where the session bus is a unix socket, reads go to the Secret Service directly (secret-service.ts):
 * faster, and bounded in time where libsecret would wait for ever on a bus that never answers. keytar still does
 * every write, and the reads that leaves to it (a locked keyring's prompt, a service that refuses).
 */
export function createKeytarKeychain(service = KEYCHAIN_SERVICE): Keychain {
  let keytar: KeytarModule | null | undefined;
  let available: Promise<boolean> | undefined;
  /** An answer asked for ahead (prefetch), taken by the first `get` of its account; a write forgets it. */
  let early: { account: string; direct: Promise<SecretServiceRead> | undefined; answer: Promise<string | null> } | undefined;
  const bus = process.platform === 'linux' ? unixSocketOf(process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '') : null;
  /** Whether the bus answered the first direct read at all: keytar is never sent to one that did not. */
  let speaks: Promise<boolean> | undefined;
  /** A bus that once said nothing is not asked again: each ask would wait out the limit again. */
  let silentBus = false;
  const cancelled = new AbortController();
  const direct = (account: string): Promise<SecretServiceRead> | undefined => {
    if (bus === null) return undefined;
    if (silentBus) return Promise.resolve({ kind: 'no-answer' });
    const seen = readSecretService(bus, keytarAttributes(service, account), DIRECT_LIMITS, cancelled.signal).then((r) => {
      if (r.kind === 'no-answer' && !r.busSpoke) silentBus = true;
      return r;
    });
    speaks ??= seen.then((r) => r.kind !== 'no-answer' || r.busSpoke === true);
    return seen;
  };
  const busSpeaks = (): Promise<boolean> => {
    if (bus !== null && !speaks) direct('__probe__');
    return speaks ?? Promise.resolve(true);
  };

  const load = (): KeytarModule | null => {
    if (keytar !== undefined) return keytar;
    try {
      const require = createRequire(import.meta.url);
      keytar = require('keytar') as KeytarModule;
    } catch {
      keytar = null;
    }
    return keytar;
  };
  // Without a D-Bus session libsecret would try to start one: no keychain here.
  const sessionless = () => process.platform === 'linux' && !process.env['DBUS_SESSION_BUS_ADDRESS'];
  const reachable = (): KeytarModule | null => (sessionless() ? null : load());

  const withKeytar = async <T>(fn: (k: KeytarModule) => Promise<T>): Promise<T> => {
    const k = load();
    if (!k || !(await busSpeaks())) throw new AppFailure('keychain-unavailable', UNAVAILABLE);
    try {
      return await fn(k);
    } catch {
      // keytar's errors can carry D-Bus details; the user only needs to know the keychain did not answer.
      throw new AppFailure('keychain-unavailable', UNAVAILABLE);
    }
  };
  const forget = (account: string) => {
    if (early?.account === account) early = undefined;
  };
  /** One read: the direct one where there is a bus for it, keytar for what that leaves to keytar. */
  const read = (account: string, ahead = direct(account)): Promise<string | null> =>
    ahead === undefined
      ? withKeytar((k) => k.getPassword(service, account))
      : ahead.then((seen) => {
          if (seen.kind === 'found') return seen.secret;
          if (seen.kind === 'no-answer') throw new AppFailure('keychain-unavailable', UNAVAILABLE);
          return withKeytar((k) => k.getPassword(service, account));
        });

  return {
    isAvailable() {
      available ??= (async () => {
        if (sessionless()) return false;
        // A direct read answers for itself: any answer is a Secret Service that answers, and silence is none.
        const seen = await (early?.direct ?? direct('__probe__'));
        if (seen?.kind === 'found') return true;
        if (seen?.kind === 'no-answer') return false;
        const k = reachable();
        if (!k) return false;
        const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), PROBE_TIMEOUT_MS).unref());
        return Promise.race([probe(() => k.getPassword(service, '__probe__'), early?.answer), timeout]);
      })();
      return available;
    },
    prefetch(account) {
      if (early || (bus === null && !reachable())) return;
      const ahead = direct(account);
      const answer = read(account, ahead);
      answer.catch(() => undefined); // read by isAvailable or get, or by no one when the open fails first
      early = { account, direct: ahead, answer };
    },
    cancel() {
      cancelled.abort();
    },
    get(account) {
      const ahead = early?.account === account ? early.answer : undefined;
      forget(account);
      return ahead ?? read(account);
    },
    set(account, value) {
      forget(account);
      return withKeytar((k) => k.setPassword(service, account, value));
    },
    delete(account) {
      forget(account);
      return withKeytar((k) => k.deletePassword(service, account));
    },
  };
}

/** A keychain that never answers: for machines without one, and for tests of the master-password-only paths. */
export const noKeychain: Keychain = {
  isAvailable: async () => false,
  get: async () => {
    throw new AppFailure('keychain-unavailable', UNAVAILABLE);
  },
  set: async () => {
    throw new AppFailure('keychain-unavailable', UNAVAILABLE);
  },
  delete: async () => {
    throw new AppFailure('keychain-unavailable', UNAVAILABLE);
  },
};
