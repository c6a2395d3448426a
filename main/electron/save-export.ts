// export:save in the desktop app: the export is looked up first (a bad
// request fails before any dialog), then a native save dialog asks where,
// and the export streams to that file, written beside it and renamed into
// place (main/transfer/save-file.ts), so the page never holds the file and
// a failure leaves any old file as it was.

import { join } from 'node:path';
import { app, dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';
import type { ApiCalls } from '../../common/contract';
import type { Workbench } from '../workbench';
import { openExport } from '../transfer/open-export';
import { writeFileAtomically } from '../transfer/save-file';
import { APP_VERSION } from '../version';

type SaveExport = (request: ApiCalls['export:save']['args']) => Promise<ApiCalls['export:save']['result']>;

export function saveExport(wb: Workbench, window: () => BrowserWindow | null): SaveExport {
  return async (request) => {
    const stream = openExport({ store: wb.store, appVersion: APP_VERSION }, request);
    const options: SaveDialogOptions = { title: 'Export', defaultPath: join(app.getPath('downloads'), stream.fileName) };
    const win = window();
    const picked = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (picked.canceled || !picked.filePath) return null;
    return { path: picked.filePath, bytes: await writeFileAtomically(picked.filePath, stream.chunks()) };
  };
}
