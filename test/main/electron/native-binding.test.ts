import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNativeBinding, engineKernelsDir, nativeBindingDir, type NativeStamp } from '../../../main/electron/native-binding';

const runtime: NativeStamp = { electron: '41.7.1', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' };

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wb-native-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('the engine kernels of the packaged app', () => {
  it("are its resources' portable builds, handed to the workers; a checkout's workers find their own", () => {
    expect(engineKernelsDir({ packaged: true, resourcesPath: '/opt/wb/resources' })).toBe(join('/opt/wb/resources', 'engine-native'));
    expect(engineKernelsDir({ packaged: false, resourcesPath: '/x' })).toBeNull();
  });
});

describe('the Electron build of better-sqlite3', () => {
  it('lives in build/ in a checkout and in the resources when packaged', () => {
    expect(nativeBindingDir({ packaged: false, appPath: '/src/wb', resourcesPath: '/x' })).toBe(
      join('/src/wb', 'build', 'electron-native'),
    );
    expect(nativeBindingDir({ packaged: true, appPath: '/x/app.asar', resourcesPath: '/opt/wb/resources' })).toBe(
      join('/opt/wb/resources', 'electron-native'),
    );
  });

  it('is used when its stamp matches this runtime', () => {
    const dir = dirWith({ 'better_sqlite3.node': 'x', 'stamp.json': JSON.stringify(runtime) });
    expect(checkNativeBinding(dir, runtime)).toBe(join(dir, 'better_sqlite3.node'));
  });

  it('is refused with what to run when missing, unstamped or built for another runtime', () => {
    expect(() => checkNativeBinding(dirWith({}), runtime)).toThrow(/no build for Electron .*scripts\/electron-sqlite\.mjs/);
    expect(() => checkNativeBinding(dirWith({ 'better_sqlite3.node': 'x' }), runtime)).toThrow(/cannot read .*stamp\.json/);
    const old = dirWith({ 'better_sqlite3.node': 'x', 'stamp.json': JSON.stringify({ ...runtime, electron: '40.0.0' }) });
    expect(() => checkNativeBinding(old, runtime)).toThrow(/is for electron 40\.0\.0, but this app runs electron 41\.7\.1: run/);
  });
});
