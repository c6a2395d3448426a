// One ipcMain handler per channel of the contract. Each checks that the
// call comes from the app's own page before anything else, then hands the
// untrusted arguments to `call`, which validates them against the channel's
// schema (main/api/handlers.ts invoke). Every outcome is a Result: nothing
// is thrown across to the renderer.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS, TRANSFER_CHANNELS } from '../api/channels';
import type { Result } from '../../common/contract';
import { isTrustedSender } from './security';

export type Call = (channel: string, args: unknown) => Promise<Result<unknown>>;

export const IPC_CHANNELS: readonly string[] = [...API_CHANNELS, ...TRANSFER_CHANNELS];

/** The handler for one channel: the sender check, then the validated call. */
export function guarded(channel: string, call: Call, appUrl: string) {
  return (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, args: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event.senderFrame, appUrl)) {
      const from = event.senderFrame ? event.senderFrame.url : 'a frame that is gone';
      return Promise.resolve({ ok: false, error: { code: 'forbidden', message: `${channel}: refused a call from ${from}` } });
    }
    return call(channel, args);
  };
}

/** Registers every channel; the returned function removes them again. */
export function registerIpc(ipc: Pick<IpcMain, 'handle' | 'removeHandler'>, call: Call, appUrl: string): () => void {
  for (const channel of IPC_CHANNELS) ipc.handle(channel, guarded(channel, call, appUrl));
  return () => {
    for (const channel of IPC_CHANNELS) ipc.removeHandler(channel);
  };
}
