// What api.ts needs from a transport: one call per channel that resolves to
// the handler's Result (never rejects for an API error), and a way to listen
// to main's events. Both transports (preload IPC, HTTP + WebSocket) give it.

import type { ApiCalls, ApiChannel, ApiEvent, ApiEvents, ExportRequest, Result } from '../../common/contract';

export type { WorkbenchBridge } from '../../common/contract';

export interface Transport {
  call<K extends ApiChannel>(channel: K, args: ApiCalls[K]['args']): Promise<Result<ApiCalls[K]['result']>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** Where the export streams from as a download (serve mode); absent where main saves it (the desktop app's export:save). */
  exportUrl?(request: ExportRequest): string;
}
