#!/usr/bin/env node
// The CLI's launcher: the built bundle when it is up to date with the
// sources, else the TypeScript sources through tsx (see entry.js).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliEntry } from './entry.js';

const entry = cliEntry(fileURLToPath(new URL('..', import.meta.url)));
if (!entry.built) {
  const { register } = await import('tsx/esm/api');
  register();
}
const cli = await import(pathToFileURL(entry.path).href);
process.exitCode = await cli.main(process.argv.slice(2));
