// The desktop transport: the preload's bridge, forwarded as it is.

import type { Transport, WorkbenchBridge } from './transport';

export function ipcTransport(bridge: WorkbenchBridge): Transport {
  return {
    call: (channel, args) => bridge.api[channel](args),
    on: (event, listener) => bridge.events.on(event, listener),
  };
}
