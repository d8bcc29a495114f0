/**
 * The only bridge between the UI and the main process: `window.assistant`, one function per
 * method of the assistant API table, each an IPC invoke. Nothing else of Electron is exposed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ASSISTANT_METHOD_NAMES, channelOf } from '../../src-shared/assistant-api';

const assistant = Object.fromEntries(
  ASSISTANT_METHOD_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(channelOf(name), input ?? {})]),
);

contextBridge.exposeInMainWorld('assistant', assistant);
