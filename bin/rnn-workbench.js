#!/usr/bin/env node
// The CLI's launcher: the built bundle when there is one (`npm run build`),
// else the TypeScript sources through tsx (a source checkout).
import { existsSync } from 'node:fs';

const built = new URL('../out/main/cli.js', import.meta.url);
let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../main/cli/index.ts', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
