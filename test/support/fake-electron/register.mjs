// Loaded with --import (after tsx): makes `import ... from 'electron'` load
// the stand-in beside this file, so the built main bundle runs under Node.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
