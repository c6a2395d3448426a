// What the preload puts on `window.workbench` in the desktop app: one
// method per call of the contract (ApiCalls, transfer calls included), each
// resolving to the handler's Result and never rejecting for an API error,
// and main's events with a listener that can be removed. Types only: the
// renderer may import them, and nothing here runs.

import type { ApiCalls, ApiChannel, ApiEvent, ApiEvents, Result } from '../contract';

export interface WorkbenchBridge {
  api: { [K in ApiChannel]: (args: ApiCalls[K]['args']) => Promise<Result<ApiCalls[K]['result']>> };
  events: {
    /** Calls `listener` with each payload of `event`; the returned function stops it. */
    on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  };
}
