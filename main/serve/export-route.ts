// GET /export?token=…&kind=archive&id=3 (kind=metrics takes format=csv|jsonl;
// kind=weights takes format, dtype and optionally step): an export streamed
// to the browser as a download, a page of steps or a snapshot at a time, so
// its size is bounded by nothing but the disk. A bad request is answered
// before any byte of the file, as JSON like every API error; an export that
// fails halfway aborts the response, so the browser reports a failed
// download rather than keeping a truncated file.

import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toWireError } from '../api/handlers';
import type { Workbench } from '../workbench';
import { exportRequestSchema } from '../transfer/handlers';
import { openExport } from '../transfer/open-export';
import { APP_VERSION } from '../version';

/** The query's fields as an ExportRequest would hold them (numbers as numbers); validation is the schema's. */
function requestOf(query: URLSearchParams): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of query) {
    if (k === 'token') continue;
    out[k] = k === 'id' || k === 'step' ? (v === '' ? null : Number(v)) : v;
  }
  if (out.kind === 'weights' && !('step' in out)) out.step = null;
  return out;
}

export async function sendExport(
  wb: Workbench,
  query: URLSearchParams,
  res: ServerResponse,
  fail: (status: number, body: unknown) => void,
): Promise<void> {
  const parsed = exportRequestSchema.safeParse(requestOf(query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(400, {
      ok: false,
      error: { code: 'invalid-argument', message: `GET /export: ${issue.path.join('.') || 'query'}: ${issue.message}` },
    });
  }
  let stream;
  try {
    stream = openExport({ store: wb.store, appVersion: APP_VERSION }, parsed.data);
  } catch (e) {
    const error = toWireError(e);
    return fail(error.code === 'no-such-run' || error.code === 'no-snapshot' ? 404 : 400, { ok: false, error });
  }
  res.writeHead(200, {
    'Content-Type': stream.mime,
    'Content-Disposition': `attachment; filename="${stream.fileName}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  await pipeline(Readable.from(stream.chunks()), res).catch(() => res.destroy());
}
