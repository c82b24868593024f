import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi } from '../shared/ipc/build-api';
import { EVENT_NAMES, INVOKE_CHANNELS } from '../shared/ipc-contract';

// SECURITY: the page gets named functions only, built from the contract: never ipcRenderer itself, never a way to
// name an arbitrary channel, never process or its environment.
const api = buildApi(
  INVOKE_CHANNELS,
  EVENT_NAMES,
  (channel, input) => ipcRenderer.invoke(channel, input),
  (event, listener) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
);

contextBridge.exposeInMainWorld('tokenVault', api);
