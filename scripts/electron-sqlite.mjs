#!/usr/bin/env node
// better-sqlite3 for the desktop app. The copy in node_modules is compiled
// for Node's ABI (the CLI and `npm test` load it); Electron needs one built
// for its own ABI. This script builds that second copy into
// build/electron-native/ (git-ignored) from a scratch copy of the package,
// so node_modules is never touched and `npm test` keeps working. The shell
// passes the result to better-sqlite3 as its `nativeBinding`.
//
// It runs before `npm start` and `npm run dist`, and does nothing when the
// build there already matches this Electron and better-sqlite3. Building
// needs the network once (a prebuilt binary from better-sqlite3's GitHub
// releases, or else Electron's headers and a C++ toolchain for node-gyp);
// when that fails it says so and exits non-zero.
//
// Usage: node scripts/electron-sqlite.mjs [--arch x64|arm64|ia32]

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'electron-native');
const addon = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');
const require = createRequire(join(root, 'package.json'));

const { values } = parseArgs({ options: { arch: { type: 'string', default: process.arch } } });
const versionOf = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
const wanted = {
  electron: versionOf('electron'),
  betterSqlite3: versionOf('better-sqlite3'),
  platform: process.platform,
  arch: values.arch,
};
const label = `better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (${wanted.platform}-${wanted.arch})`;

function currentStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return null;
  }
}

const stamp = currentStamp();
if (existsSync(addon) && stamp && Object.keys(wanted).every((k) => stamp[k] === wanted[k])) {
  console.log(`${label}: up to date in ${outDir}`);
  process.exit(0);
}

console.log(`${label}: building into ${outDir} ...`);
const work = join(outDir, '.work');
const moduleDir = join(work, 'node_modules', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(dirname(moduleDir), { recursive: true });
// The package without its Node build, so nothing of the Node ABI can be picked up by mistake.
const source = dirname(require.resolve('better-sqlite3/package.json'));
cpSync(source, moduleDir, { recursive: true, filter: (p) => !p.startsWith(join(source, 'build')) });
writeFileSync(
  join(work, 'package.json'),
  JSON.stringify({ name: 'electron-native', private: true, dependencies: { 'better-sqlite3': wanted.betterSqlite3 } }),
);

try {
  // The same @electron/rebuild that electron-builder itself uses (a dependency of app-builder-lib).
  const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
  const { rebuild } = await import(pathToFileURL(builderRequire.resolve('@electron/rebuild')).href);
  await rebuild({
    buildPath: work,
    projectRootPath: work,
    electronVersion: wanted.electron,
    arch: wanted.arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
  });
  const built = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error(`the rebuild finished but produced no ${built}`);
  copyFileSync(built, addon);
  writeFileSync(stampFile, JSON.stringify(wanted, null, 2) + '\n');
  rmSync(work, { recursive: true, force: true });
  console.log(`${label}: done (${addon})`);
} catch (e) {
  rmSync(work, { recursive: true, force: true });
  console.error(
    `\nCould not build ${label}:\n  ${e instanceof Error ? e.message : String(e)}\n\n` +
      'This needs network access once: a prebuilt binary from github.com/WiseLibs/better-sqlite3/releases,\n' +
      "or else Electron's headers (electronjs.org/headers) and a C++ toolchain for node-gyp.\n" +
      'The desktop app cannot open its database without it. The CLI and `npm test` do not need it.\n',
  );
  process.exit(1);
}
