/**
 * One IPC handler per assistant method, derived from the method table; each checks that the
 * call comes from our own UI before handing it to the shared dispatch.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ASSISTANT_METHOD_NAMES, channelOf, type Result } from '../../src-shared/assistant-api';
import { ERRORS } from '../../src-shared/errors';
import type { Dispatch } from '../core/dispatch';
import { isAppUrl } from './app-protocol';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const url = event.senderFrame?.url;
  return url !== undefined && isAppUrl(url);
}

export function registerAssistantIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  for (const name of ASSISTANT_METHOD_NAMES) {
    ipcMain.handle(channelOf(name), async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: ERRORS.forbidden.message } };
      return dispatch(name, input);
    });
  }
}
