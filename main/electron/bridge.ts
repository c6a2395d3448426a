// The preload's bridge, built over anything shaped like ipcRenderer so that
// it can be tested without Electron. It only forwards: one method per
// channel calling `invoke` with that channel's name, and event listeners
// that receive the payload alone (never Electron's event object, which
// would hand the page a reference to ipcRenderer).

import { API_CHANNELS, API_EVENTS, TRANSFER_CHANNELS } from '../api/channels';
import type { WorkbenchBridge } from '../../common/contract';

/** The global name the bridge is exposed under: `window.workbench`. */
export const BRIDGE_KEY = 'workbench';

type Forward = (event: unknown, payload: unknown) => void;

export interface IpcRendererLike {
  invoke(channel: string, args: unknown): Promise<unknown>;
  on(channel: string, listener: Forward): unknown;
  removeListener(channel: string, listener: Forward): unknown;
}

export function createBridge(ipc: IpcRendererLike): WorkbenchBridge {
  const channels = [...API_CHANNELS, ...TRANSFER_CHANNELS];
  const api = Object.fromEntries(channels.map((channel) => [channel, (args: unknown) => ipc.invoke(channel, args)]));
  return {
    api: api as WorkbenchBridge['api'],
    events: {
      on(event, listener) {
        if (!(API_EVENTS as readonly string[]).includes(event)) throw new Error(`workbench.events.on: no such event "${event}"`);
        const forward: Forward = (_event, payload) => listener(payload as never);
        ipc.on(event, forward);
        return () => {
          ipc.removeListener(event, forward);
        };
      },
    },
  };
}
