// Module resolution hook: 'electron' is the stand-in of electron.ts (which
// tsx, loaded before this, compiles).
import { URL } from 'node:url';

const fake = new URL('./electron.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: fake, format: 'module', shortCircuit: true };
  return next(specifier, context);
}
