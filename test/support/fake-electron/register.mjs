// Loaded with --import (after tsx): makes `import ... from 'electron'` load
// the stand-in beside this file, so the built main bundle runs under Node,
// driven by the test that forked it over the IPC channel.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
const fake = await import('./electron.ts');
fake.driveOverIpc();
