// The desktop app's worker channel: each training run in its own Electron
// utility process. The worker's port shim (native-worker/process/port.ts) picks
// process.parentPort there; messages are structured-cloned both ways, so
// typed arrays in checkpoints arrive intact.

import { utilityProcess } from 'electron';
import type { ExitInfo, WorkerChannel } from '../worker-host/channel';

/** kernelsDir: the folder of the engine kernels' portable builds (packaged app), passed on as RNN_WORKBENCH_NATIVE. */
export function utilityChannel(workerPath: string, kernelsDir: string | null = null): WorkerChannel {
  const env = kernelsDir === null ? undefined : { ...definedEnv(), RNN_WORKBENCH_NATIVE: kernelsDir };
  const child = utilityProcess.fork(workerPath, [], { serviceName: 'RNN Workbench training', stdio: 'inherit', env });
  const exitListeners: ((info: ExitInfo) => void)[] = [];
  let exited: ExitInfo | null = null;
  let fatal: string | null = null;
  child.on('error', (type, location) => {
    // A V8 fatal error; 'exit' always follows and carries this as its signal text.
    fatal = `${type} at ${location}`;
  });
  child.on('exit', (code) => {
    exited = { code: fatal === null ? code : null, signal: fatal };
    for (const l of exitListeners) l(exited);
  });
  return {
    send: (m) => {
      if (exited === null) child.postMessage(m);
    },
    onMessage: (l) => {
      child.on('message', l);
    },
    onExit: (l) => {
      exitListeners.push(l);
      if (exited) l(exited);
    },
    kill: () => {
      child.kill();
    },
    get pid() {
      return child.pid ?? null;
    },
  };
}

/** process.env without its unset entries (fork's env takes strings only). */
function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}
