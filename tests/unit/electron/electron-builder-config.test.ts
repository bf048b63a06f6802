import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface BuilderConfig {
  asar?: boolean;
  files?: string[];
  asarUnpack?: string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  mac?: { target?: string[]; icon?: string; hardenedRuntime?: boolean };
  win?: { target?: string[]; icon?: string };
  linux?: { target?: string[]; icon?: string };
}

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('flips every security fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds an installer for each OS, with an icon from build/', () => {
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    for (const platform of [config.mac, config.win, config.linux]) {
      expect(platform?.icon).toMatch(/^build\//);
      expect(() => readFileSync(platform?.icon ?? '')).not.toThrow();
    }
  });

  it('packs a minimal app into an asar, with keytar rebuilt for Electron and unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/keytar/**');
    const included = (config.files ?? []).filter((pattern) => !pattern.startsWith('!'));
    expect(included.sort()).toEqual(['dist/electron/**/*', 'dist/renderer/**/*', 'package.json']);
    expect(config.files).toContain('!**/*.map');
  });

  it('npm run dist stops early with one sentence where the Electron binary is missing', () => {
    const preflight = spawnSync(process.execPath, ['scripts/dist-preflight.mjs'], {
      encoding: 'utf8',
    });
    let binaryPresent = false;
    try {
      const electronPath = spawnSync(process.execPath, ['-p', "require('electron')"], {
        encoding: 'utf8',
      });
      binaryPresent =
        electronPath.status === 0 && readFileSync(electronPath.stdout.trim()).length > 0;
    } catch {
      binaryPresent = false;
    }
    if (binaryPresent) {
      expect(preflight.status).toBe(0);
      return;
    }
    expect(preflight.status).toBe(1);
    expect(preflight.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^npm run dist cannot package Sluice here: .+\.$/),
    ]);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.dist).toMatch(/^node scripts\/dist-preflight\.mjs && /);
  });
});
