// File ▸ Import Run Archive…: a native open dialog, then the same
// 'import:archive' call the page would make (so the file is validated the
// same way), and the new run announced to the page like any other change.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { RunRecord } from '../contract';
import { ARCHIVE_EXTENSION } from '../transfer/archive';
import type { Send } from '../api/event-forwarder';
import type { Call } from './ipc';

export async function importArchive(win: BrowserWindow | null, call: Call, send: Send): Promise<void> {
  const options: OpenDialogOptions = {
    title: 'Import Run Archive',
    properties: ['openFile'],
    filters: [{ name: 'Run archives', extensions: [ARCHIVE_EXTENSION.slice(1)] }, { name: 'All files', extensions: ['*'] }],
  };
  const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const file = picked.filePaths[0];
  if (picked.canceled || file === undefined) return;
  let data: Uint8Array;
  try {
    data = new Uint8Array(await readFile(file));
  } catch (e) {
    dialog.showErrorBox('Import failed', `cannot read ${file}: ${(e as Error).message}`);
    return;
  }
  const r = await call('import:archive', { fileName: basename(file), data });
  if (!r.ok) {
    dialog.showErrorBox('Import failed', r.error.message);
    return;
  }
  const { config: _config, ...summary } = r.value as RunRecord;
  send('runs:changed', summary);
}
