// What `rnn-workbench --version` prints: the app's version, the engine's, and
// the kernels the engine computes with on this machine (and if they are not
// the native ones, why). The launcher (bin/rnn-workbench.js) runs it from a
// bundle of its own (bin/build-cli.js), which holds neither the config's
// schemas nor the database, so the answer comes at once.

import { ENGINE_VERSION } from './version';

export async function versionText(appVersion: string): Promise<string> {
  // loading the kernels is how to find out which ones work here: a chunk of their own, paid only by this caller
  const { describeKernels } = await import('./engine/fast/workspace');
  return `rnn-workbench ${appVersion}\nengine ${ENGINE_VERSION}, ${describeKernels()}\n`;
}
