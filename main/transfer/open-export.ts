// One door to every export: the request (as the API, the CLI, serve mode's
// GET /export and the desktop app's save give it) to its stream.

import type { ExportRequest } from '../../common/contract';
import { archiveExport } from './archive';
import { metricsExport, weightsExport, type ExportStream, type TransferServices } from './export';

/** Any export as a stream; the run and snapshot are looked up now, so a bad request fails before a byte is written. */
export function openExport(s: TransferServices, r: ExportRequest): ExportStream {
  if (r.kind === 'weights') return weightsExport(s, r);
  if (r.kind === 'metrics') return metricsExport(s, r);
  return archiveExport(s, r);
}
