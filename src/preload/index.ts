import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildApi } from '../shared/ipc/build-api';
import { EVENT_NAMES, PAGE_CHANNELS } from '../shared/ipc-contract';

// SECURITY: the page gets named functions only, built from the contract: never ipcRenderer itself, never a way to
// name an arbitrary channel, never process or its environment.
const api = buildApi(
  PAGE_CHANNELS,
  EVENT_NAMES,
  (channel, input) => ipcRenderer.invoke(channel, input),
  (event, listener) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
  // Electron 32+: File.path is gone; this is the one way to learn where a dropped file lives. '' for a File made in
  // script (no file on disk behind it).
  (file) => webUtils.getPathForFile(file as File),
);

contextBridge.exposeInMainWorld('tokenVault', api);
