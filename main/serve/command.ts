// `rnn-workbench serve`: the app in a browser. Runs until Ctrl-C, then
// stops training runs cleanly (their data and final snapshots are kept).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workbench } from '../workbench';
import { terminalText } from '../cli/terminal-text';
import { ApiError } from '../runs/errors';
import { startServer } from './server';

/** The built renderer: beside the bundled CLI (out/main → out/renderer), or under out/ from the sources. */
export function rendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../renderer'), join(here, '../../out/renderer')];
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!found) throw new ApiError('not-built', 'the renderer is not built yet: run `npm run build` (or `npm run build:renderer`) first');
  return found;
}

export async function serve(wb: Workbench, port: number, out: (s: string) => void): Promise<number> {
  const server = await startServer({ workbench: wb, staticDir: rendererDir(), port });
  out(`RNN Workbench is serving ${terminalText(wb.databasePath)}\nopen ${server.url}\n(Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  out('stopping…\n');
  await server.close();
  return 0;
}
