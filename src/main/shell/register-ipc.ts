import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS } from '../../shared/ipc-contract';
import type { Dispatch, SenderInfo } from '../ipc/dispatcher';

const senderOf = (event: IpcMainInvokeEvent, win: BrowserWindow): SenderInfo => {
  const frame = event.senderFrame;
  return {
    // SECURITY: the top frame of OUR window, not a subframe and not another webContents.
    isMainFrame: frame !== null && event.sender === win.webContents && frame === win.webContents.mainFrame,
    url: frame?.url ?? '',
  };
};

/** Every invoke channel goes through the one dispatcher: sender check, zod validation, Result envelope. */
export function registerIpc(dispatch: Dispatch, getWindow: () => BrowserWindow | undefined): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      const win = getWindow();
      if (!win) return { ok: false, error: { code: 'forbidden-sender', message: 'No app window.' } };
      return dispatch(channel, senderOf(event, win), input);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
