// The packaging configuration is checked by electron-builder's own loader
// and schema validator (what `npm run dist` runs first), and the pieces it
// points at exist: the icons at the sizes each platform needs, and the
// folders the Electron build of better-sqlite3 and the engine kernels'
// portable builds are written to.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const configFile = join(root, 'build/electron-builder.yml');

interface BuilderConfig {
  files: (string | { filter: string[] })[];
  extraResources: { from: string; to: string; filter: string[] }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: { target: string[]; icon: string };
  mac: { target: string; icon: string };
  win: { target: string; icon: string };
  electronFuses: Record<string, boolean>;
}

// electron-builder's own configuration loader and validator (app-builder-lib has no exports map).
const config = createRequire(import.meta.url)('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};
const noDebug = { isEnabled: false, add: () => undefined };

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1'), file).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's schema validation", async () => {
    const c = await config.getConfig(root, configFile);
    await expect(config.validateConfiguration(c, noDebug)).resolves.toBeUndefined();
    // The validator really checks: an unknown option is refused.
    await expect(config.validateConfiguration({ ...c, sandbox: true }, noDebug)).rejects.toThrow(/sandbox/);
  });

  it('targets AppImage and deb, dmg, nsis, and never rebuilds node_modules in place', async () => {
    const c = await config.getConfig(root, configFile);
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.mac.target).toBe('dmg');
    expect(c.win.target).toBe('nsis');
    expect(c.npmRebuild).toBe(false);
    expect(c.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter))).toContain('out/**');
    expect(c.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it("ships the Electron build of better-sqlite3 and the engine kernels' portable builds where the shell looks for them", async () => {
    const c = await config.getConfig(root, configFile);
    expect(c.extraResources).toEqual([
      { from: 'build/electron-native', to: 'electron-native', filter: ['better_sqlite3.node', 'stamp.json'] },
      { from: 'build/engine-native', to: 'engine-native', filter: ['*.node'] },
    ]);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.dist).toMatch(
      /build\.ts --portable build\/engine-native && electron-builder/,
    );
    expect(readFileSync(join(root, 'main/electron/native-binding.ts'), 'utf8')).toMatch(/join\(o\.resourcesPath, 'engine-native'\)/);
    expect(c.asarUnpack).toContain('**/*.node');
    expect(readFileSync(join(root, 'scripts/electron-sqlite.mjs'), 'utf8')).toMatch(/join\(root, 'build', 'electron-native'\)/);
    expect(readFileSync(join(root, 'main/electron/native-binding.ts'), 'utf8')).toMatch(/join\(o\.resourcesPath, 'electron-native'\)/);
  });

  it('has the icons each platform needs', async () => {
    const c = await config.getConfig(root, configFile);
    // macOS wants at least 512×512 (1024 for Retina), Windows at least 256×256.
    expect(pngSize(join(root, c.mac.icon))).toEqual([1024, 1024]);
    expect(c.win.icon).toBe(c.mac.icon);
    for (const size of [16, 32, 64, 128, 256, 512]) {
      expect(pngSize(join(root, c.linux.icon, `${size}x${size}.png`))).toEqual([size, size]);
    }
  });
});
