// Build the renderer once before the browser tests (they load it from
// out/renderer through the serve-mode server, as a user would).

import { build } from 'vite';
import rendererConfig from '../../renderer/vite.config';

export default async function setup(): Promise<void> {
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn' });
}
