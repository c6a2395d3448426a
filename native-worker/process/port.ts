// The one place that knows how the worker is hosted. The same worker file
// runs as an Electron utility process (process.parentPort), a Node worker
// thread (worker_threads.parentPort) or a Node child process with an IPC
// channel (process.send; the host forks it with serialization 'advanced' so
// typed arrays survive the trip).

import { parentPort as threadPort } from 'node:worker_threads';
import type { WorkerToHost } from '../../common/contract';

export interface Port {
  post(message: WorkerToHost): void;
  onMessage(handler: (message: unknown) => void): void;
}

/** Electron's utility-process port: messages arrive wrapped as { data }. */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectPort(): Port {
  const electronPort = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      onMessage: (h) => electronPort.on('message', (e) => h(e.data)),
    };
  }
  if (threadPort) {
    const port = threadPort;
    return { post: (m) => port.postMessage(m), onMessage: (h) => port.on('message', h) };
  }
  if (process.send) {
    const send = process.send.bind(process);
    // An orphaned worker (its host was killed) has no one to report to: end it, whether the channel's
    // close or a message that can no longer be delivered (EPIPE, while the host was dying) says so first.
    const orphaned = (e: Error | null) => {
      if (e) process.exit(0);
    };
    process.on('disconnect', () => process.exit(0));
    return { post: (m) => void send(m, orphaned), onMessage: (h) => process.on('message', h) };
  }
  throw new Error('the training worker must be started as a utility process, a worker thread or a child process with an IPC channel');
}
