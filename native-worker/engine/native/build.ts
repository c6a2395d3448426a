// Builds the optional native kernels (every .c file of this folder, one N-API
// addon; kernels.h says which file holds what) with the system's C compiler:
// `node --import tsx native-worker/engine/native/build.ts`.
// The result goes to node_modules/.cache (never committed: it is built for
// this machine's CPU). Without a compiler, or where the build fails, the
// engine keeps its WebAssembly kernels; nothing else depends on this.
// With `--portable DIR` it makes the builds a packaged app ships instead
// (`npm run dist`): for any CPU, and for AVX2 and FMA.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultNativePath, portableNames } from '../fast/native';

const here = dirname(fileURLToPath(import.meta.url));

/** Node's headers: beside the running node (…/include/node), or under npm's nodedir. */
function nodeHeaders(): string | null {
  const candidates = [resolve(dirname(process.execPath), '../include/node'), '/usr/include/node', '/usr/local/include/node'];
  if (process.env.npm_config_nodedir) candidates.unshift(join(process.env.npm_config_nodedir, 'include/node'));
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h'))) ?? null;
}

/** The addon's files: its C sources (compiled together) and, with headers, everything a build depends on. */
function sourceFiles(headers: boolean): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.c') || (headers && f.endsWith('.h')))
    .sort()
    .map((f) => resolve(here, f));
}

export type BuildResult = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Compile the C sources into one addon at `out` (default: the path the engine loads from), for
 * this machine's CPU, or for the instruction set that `target` names (e.g.
 * ['-march=x86-64-v3'] for AVX2 without AVX-512: the tests build every code
 * path of the kernels this way, whatever the machine they run on).
 */
export function buildNative(
  out = defaultNativePath(),
  target: readonly string[] | null = null,
  defines: readonly string[] = [],
): BuildResult {
  if (process.platform === 'win32')
    return { ok: false, reason: 'the native kernels build with a Unix C compiler; Windows uses the WebAssembly kernels' };
  const headers = nodeHeaders();
  if (!headers) return { ok: false, reason: 'Node.js headers (node_api.h) not found' };
  const cc = process.env.CC ?? 'cc';
  const arch = target ?? (process.arch === 'x64' ? ['-march=native'] : process.arch === 'arm64' ? ['-mcpu=native'] : []);
  mkdirSync(dirname(out), { recursive: true });
  // compiled beside the target and renamed over it: a process that has the old build loaded keeps its
  // (unlinked) copy, where writing into the same file would change the code under it
  const partial = `${out}.${process.pid}.tmp`;
  const args = [
    '-O3',
    ...arch,
    ...defines.map((d) => `-D${d}`),
    '-ffp-contract=off',
    // only the module's entry point is exported: the files share their functions, the process does not
    '-fvisibility=hidden',
    '-pthread',
    '-shared',
    '-fPIC',
    '-std=c11',
    '-I',
    headers,
    ...sourceFiles(false),
    '-o',
    partial,
  ];
  if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
  const r = spawnSync(cc, args, { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `no C compiler (${cc}): ${r.error.message}` };
  if (r.status !== 0) {
    rmSync(partial, { force: true });
    return { ok: false, reason: `${cc} failed:\n${r.stderr}` };
  }
  renameSync(partial, out);
  return { ok: true, path: out };
}

/** True when the build at `out` is missing or older than any of its sources (so a benchmark measures the current source). */
export function nativeStale(out = defaultNativePath()): boolean {
  try {
    const built = statSync(out).mtimeMs;
    return sourceFiles(true).some((f) => statSync(f).mtimeMs > built);
  } catch {
    return true;
  }
}

/**
 * The portable builds for a packaged app into `dir` (see portableNames in
 * ../fast/native.ts): one for any CPU of this platform and, on x86-64, one
 * for AVX2 and FMA; the engine picks between them on the user's machine.
 * The folder is made even when nothing can be built (the app then uses
 * WebAssembly), so packaging never fails for want of it.
 */
export function buildPortable(dir: string): BuildResult[] {
  mkdirSync(dir, { recursive: true });
  const names = portableNames();
  const builds: [string, string[]][] = [[names.base, process.arch === 'x64' ? ['-march=x86-64', '-mtune=generic'] : []]];
  if (names.avx2) builds.push([names.avx2, ['-march=x86-64-v3', '-mtune=generic']]);
  return builds.map(([name, target]) => buildNative(join(dir, name), target));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--portable');
  const results = at >= 0 ? buildPortable(resolve(process.argv[at + 1] ?? 'build/engine-native')) : [buildNative()];
  for (const r of results) console.log(r.ok ? `native kernels: ${r.path}` : `native kernels not built: ${r.reason}`);
}
