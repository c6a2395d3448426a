// The Electron main process loads no engine: out/main/index.js and every
// chunk it imports statically (built once by global-setup.ts) hold none of
// the kernels, the bundled sonnets, the trainer or the gradient methods,
// since main/ reaches the engine only through native-worker/engine-api.ts.
// The worker's bundle holds them all, so the markers are ones a build keeps.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../../native-worker/engine/wasm/kernels-wasm';
import { SONNETS } from '../../native-worker/tasks/sonnets';

const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'out/main');

/** The bundle and the chunks it imports statically, transitively (a dynamic import() loads nothing until called), by file name. */
function staticClosure(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (name: string): void => {
    if (files.has(name)) return;
    const text = readFileSync(join(out, name), 'utf8');
    files.set(name, text);
    for (const [, dep] of text.matchAll(/^(?:import|export)\b[^;'"]*?["']\.\/([^"']+\.js)["']/gm)) visit(dep);
  };
  visit(entry);
  return files;
}

const ENGINE = {
  'the WebAssembly kernels': KERNELS_WASM_BASE64.slice(0, 400),
  'the relaxed-SIMD kernels': KERNELS_RELAXED_WASM_BASE64.slice(0, 400),
  'the bundled sonnets': SONNETS.slice(0, 400),
  'the trainer': 'class Trainer',
  'the workspaces': 'class Workspace',
  'the gradient methods': 'class BpttMethod',
  'the block method': 'class BlockRtrl',
};

/** Which of the engine's markers the files hold. */
function engineIn(files: Map<string, string>): string[] {
  return Object.entries(ENGINE)
    .filter(([, marker]) => [...files.values()].some((text) => text.includes(marker)))
    .map(([what]) => what);
}

describe('the built main bundle', () => {
  it('imports no engine code, where the worker bundle holds all of it', () => {
    expect(existsSync(join(out, 'index.js'))).toBe(true);
    const main = staticClosure('index.js');
    expect(engineIn(main)).toEqual([]);
    expect([...main.values()].some((text) => text.includes('const ENGINE_VERSION'))).toBe(true);
    expect(engineIn(staticClosure('worker.js'))).toEqual(Object.keys(ENGINE));
  });
});
