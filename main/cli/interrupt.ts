// What ends a command that trains early: Ctrl-C (SIGINT), SIGTERM, or the
// reader of its output going away (`rnn-workbench train --json | head -3`
// closes the pipe: EPIPE). The first of them stops the runs cleanly, with a
// final snapshot, as a stop from the app would; a second signal exits at
// once. Output to a closed pipe is dropped rather than thrown, so nothing
// escapes as a stack trace and no run is left `running`.

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export type Interrupt = (typeof SIGNALS)[number] | 'EPIPE';

const pipeListeners = new Set<() => void>();
let outputClosed = false;

/**
 * Installed once by the CLI on its stdout: an EPIPE marks the output closed
 * and interrupts whatever is training. Returns whether output is still open.
 */
export function watchOutput(stream: NodeJS.WritableStream): () => boolean {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    if (outputClosed) return;
    outputClosed = true;
    for (const l of [...pipeListeners]) l();
  });
  return () => !outputClosed;
}

export interface InterruptWatch {
  /** What interrupted the command, if anything has. */
  readonly interrupt: Interrupt | null;
  dispose(): void;
}

/** Calls `stop` once, on the first interrupt; after it, a second signal exits the process at once. */
export function onInterrupt(stop: (i: Interrupt) => void): InterruptWatch {
  let interrupt: Interrupt | null = null;
  const exitNow = () => process.exit(exitCodeOf(interrupt));
  const first = (i: Interrupt) => {
    if (interrupt) return;
    interrupt = i;
    dispose();
    for (const s of SIGNALS) process.once(s, exitNow);
    stop(i);
  };
  const onSignal = (s: NodeJS.Signals) => first(s === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  const onPipe = () => first('EPIPE');
  const dispose = () => {
    for (const s of SIGNALS) process.off(s, onSignal);
    pipeListeners.delete(onPipe);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  pipeListeners.add(onPipe);
  return {
    get interrupt() {
      return interrupt;
    },
    dispose: () => {
      dispose();
      for (const s of SIGNALS) process.off(s, exitNow);
    },
  };
}

/** The shell's convention: 128 + the signal's number (SIGPIPE for a closed output). */
export function exitCodeOf(i: Interrupt | null): number {
  return i === 'SIGTERM' ? 143 : i === 'EPIPE' ? 141 : 130;
}

/** How the terminal names an interrupt in "stopping … (Ctrl-C again to quit at once)". */
export function interruptName(i: Interrupt): string {
  return i === 'SIGINT' ? 'Ctrl-C' : i;
}
