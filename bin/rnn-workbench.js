#!/usr/bin/env node
// The CLI's launcher: the CLI's build when it is up to date with the
// sources, rebuilt first when it is not, and the TypeScript sources through
// tsx only where no build can be made (see entry.js and build-cli.js).
// `--version` alone loads only its own small entry.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliEntry } from './entry.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
let entry = cliEntry(root);
if (!entry.built) {
  try {
    await (await import('./build-cli.js')).buildCli(root);
    entry = cliEntry(root);
  } catch (e) {
    process.stderr.write(`rnn-workbench: could not build the CLI (${e instanceof Error ? e.message : e}); running the sources\n`);
  }
}
if (entry.built && args.length === 1 && args[0] === '--version') {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(await (await import(pathToFileURL(entry.version).href)).versionText(version));
} else {
  if (!entry.built) (await import('tsx/esm/api')).register();
  const cli = await import(pathToFileURL(entry.path).href);
  process.exitCode = await cli.main(args);
}
