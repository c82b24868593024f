import { homedir } from 'node:os';
import type { scanChannels } from '../../shared/ipc/scan-channels';
import { ScanSession } from '../use-cases/scan/scan-session';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/**
 * scan:* — "Scan for tokens" in the window: the OS dialog picks the folder (main keeps its path), the scan runs in
 * slices so a cancel gets through, and the actions name a finding by id. Locking forgets the findings.
 */
export function createScanHandlers({ session, dialogs, emit }: Pick<HandlerContext, 'session' | 'dialogs' | 'emit'>, home: string = homedir()): HandlersOf<typeof scanChannels> {
  const scans = new ScanSession({ home, onProgress: (p) => emit('scan:progress', p) });
  session.onLock(() => scans.forget());
  return {
    'scan:choose-folder': async () => {
      session.requireUnlocked();
      const path = await dialogs.chooseFolder('scan');
      return path === null ? null : scans.chooseFolder(path);
    },
    'scan:start': (input) => scans.start(session.requireUnlocked(), input),
    'scan:cancel': () => scans.cancel(),
    'scan:add-target': ({ findingId }) => scans.addTarget(session.requireUnlocked(), findingId),
    'scan:add-to-vault': (input) => scans.addToVault(session.requireUnlocked(), input),
  };
}
