/**
 * The only bridge between the UI and the main process: `window.assistant`, one function per
 * method of the assistant API table, each an IPC invoke, and `on(event, listener)` for the
 * events of the same table. Nothing else of Electron is exposed (not even the IPC event).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ASSISTANT_METHOD_NAMES, channelOf, eventChannelOf, isAssistantEvent } from '../../src-shared/assistant-api';

const methods = Object.fromEntries(
  ASSISTANT_METHOD_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(channelOf(name), input ?? {})]),
);

function on(event: string, listener: (payload: unknown) => void): () => void {
  if (typeof event !== 'string' || !isAssistantEvent(event) || typeof listener !== 'function') return () => {};
  const channel = eventChannelOf(event);
  const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, relay);
  return () => {
    ipcRenderer.removeListener(channel, relay);
  };
}

contextBridge.exposeInMainWorld('assistant', { ...methods, on });
