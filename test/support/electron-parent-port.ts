// Loaded with --import before the worker entry, this gives a Node child
// process the `process.parentPort` of an Electron utility process (messages
// arrive as { data }), so the port shim's Electron branch runs for real.

const send = process.send!.bind(process);
const listeners: ((e: { data: unknown }) => void)[] = [];
process.on('message', (data) => listeners.forEach((l) => l({ data })));
Object.defineProperty(process, 'parentPort', {
  value: {
    postMessage: (m: unknown) => send(m),
    on: (_event: 'message', l: (e: { data: unknown }) => void) => listeners.push(l),
  },
});
// Hide the IPC channel from the shim so only parentPort can be picked.
Object.defineProperty(process, 'send', { value: undefined });
