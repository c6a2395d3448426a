// The renderer's one door to main: typed over the contract's ApiCalls and
// ApiEvents. It picks the transport once: the preload's bridge in the
// desktop app, else HTTP + WebSocket (`rnn-workbench serve`). A failed
// call rejects with an ApiCallError carrying the handler's code and message
// (and a refused config's issues, field by field).
// Only the stores call it.

import type { ApiCalls, ApiChannel, ApiEvent, ApiEvents, ConfigIssue, ExportRequest } from '../common/contract';
import { downloadUrl } from './charts/download';
import { httpTransport } from './transports/http';
import { ipcTransport } from './transports/ipc';
import { takeToken } from './transports/token';
import type { Transport, WorkbenchBridge } from './transports/transport';

export class ApiCallError extends Error {
  constructor(
    readonly channel: ApiChannel,
    readonly code: string,
    message: string,
    /** For 'invalid-config': each problem by its field. */
    readonly issues?: ConfigIssue[],
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

type ReconnectingTransport = Transport & { onReconnect?(listener: () => void): () => void };

let transport: ReconnectingTransport | null = null;

function pickTransport(): ReconnectingTransport {
  const bridge = (window as Window & { workbench?: WorkbenchBridge }).workbench;
  if (bridge) return ipcTransport(bridge);
  const token = takeToken({ location: window.location, history: window.history, storage: window.sessionStorage });
  return httpTransport({ origin: window.location.origin, token });
}

function current(): ReconnectingTransport {
  return (transport ??= pickTransport());
}

/** Replace the transport (tests, or a host page that brings its own). */
export function setTransport(t: ReconnectingTransport): void {
  transport = t;
}

export async function call<K extends ApiChannel>(channel: K, args: ApiCalls[K]['args']): Promise<ApiCalls[K]['result']> {
  const r = await current().call(channel, args);
  if (!r.ok) throw new ApiCallError(channel, r.error.code, r.error.message, r.error.issues);
  return r.value;
}

/**
 * Saves an export without the page ever holding it: in a browser a download
 * streamed from serve mode; in the desktop app main asks where with its save
 * dialog and writes the file. Resolves to the path main wrote, or null (a
 * browser download, or a cancelled dialog).
 */
export async function saveExport(request: ExportRequest): Promise<string | null> {
  const t = current();
  if (t.exportUrl) {
    downloadUrl(t.exportUrl(request));
    return null;
  }
  return (await call('export:save', request))?.path ?? null;
}

export function on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return current().on(event, listener);
}

/** After the event stream dropped and came back (serve mode): events may have been missed. */
export function onReconnect(listener: () => void): () => void {
  return current().onReconnect?.(listener) ?? (() => {});
}
