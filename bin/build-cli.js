// The CLI's own build: main/cli/index.ts (cli.js), the training worker
// (worker.js, which the CLI forks from beside itself) and `--version`'s
// small entry (version.js), bundled by esbuild into out/cli/ in about a
// second. `npm install` runs it (postinstall), and the launcher runs it
// again when a source file is newer than the build (bin/entry.js), so the
// CLI and its workers never go through tsx, which took 0.5 s and more per
// process.
// Dependencies are bundled too (one file to read instead of zod's many),
// except better-sqlite3 (native) and what the CLI never loads. Our own
// modules have no side effects on import, so an entry carries only what it
// uses: version.js holds neither zod nor the database.
//   node bin/build-cli.js          build into out/cli/ of this package

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = ['main', 'common', 'native-worker'];

/** Builds out/cli/ of the package at `root`; resolves when written, rejects with esbuild's errors. */
export async function buildCli(root) {
  const { build } = await import('esbuild');
  const ours = SOURCES.map((d) => join(root, d));
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      cli: 'main/cli/index.ts',
      worker: 'native-worker/process/index.ts',
      version: 'native-worker/version-text.ts',
    },
    outdir: join(root, 'out', 'cli'),
    // written below, each file whole: launchers started together may build at once
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'electron', 'assemblyscript'],
    chunkNames: '[name]-[hash]',
    // bundled CommonJS dependencies (ws) call require
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'error',
    plugins: [
      {
        name: 'no-side-effects',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, async (args) => {
            if (args.pluginData === 'again' || !ours.some((d) => args.resolveDir.startsWith(d))) return undefined;
            const r = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: 'again',
            });
            return r.errors.length ? { errors: r.errors } : { path: r.path, sideEffects: false };
          });
        },
      },
    ],
  });
  for (const f of result.outputFiles) {
    mkdirSync(dirname(f.path), { recursive: true });
    const part = `${f.path}.${process.pid}.part`;
    writeFileSync(part, f.contents);
    renameSync(part, f.path);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
}
