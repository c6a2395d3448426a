// File ▸ Import Run Archive…: a native open dialog, then the archive read
// from the file by random access (an entry at a time, so it may be larger
// than memory) through the same importer as the page's 'import:archive'
// call, and the new run announced to the page like any other change.

import { basename } from 'node:path';
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import { toWireError } from '../api/handlers';
import type { Send } from '../api/event-forwarder';
import type { Workbench } from '../workbench';
import { ARCHIVE_EXTENSION } from '../transfer/archive';
import { importArchiveSource } from '../transfer/archive-import';
import { fileSource } from '../transfer/zip';
import { APP_VERSION } from '../version';

export async function importArchive(win: BrowserWindow | null, wb: Workbench | null, send: Send): Promise<void> {
  const options: OpenDialogOptions = {
    title: 'Import Run Archive',
    properties: ['openFile'],
    filters: [
      { name: 'Run archives', extensions: [ARCHIVE_EXTENSION.slice(1)] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const file = picked.filePaths[0];
  if (picked.canceled || file === undefined || wb === null) return;
  let source;
  try {
    source = fileSource(file);
  } catch (e) {
    dialog.showErrorBox('Import failed', `cannot read ${file}: ${(e as Error).message}`);
    return;
  }
  try {
    const { config: _config, ...summary } = importArchiveSource(
      { store: wb.store, manager: wb.manager, appVersion: APP_VERSION },
      basename(file),
      source,
    );
    send('runs:changed', summary);
  } catch (e) {
    dialog.showErrorBox('Import failed', toWireError(e).message);
  } finally {
    source.close();
  }
}
