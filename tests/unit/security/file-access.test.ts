import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../core/contract';
import { expandHome, FileAccess, webHostRoots } from '../../../core/services/file-access';

let base: string;
let root: string;
let outside: string;

beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'sluice-file-access-'));
  root = path.join(base, 'granted');
  outside = path.join(base, 'elsewhere');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'aws_secret_access_key=x\n');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function refusal(work: () => unknown): ContractError {
  try {
    work();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('file access by capability', () => {
  it('allows paths under a granted root and refuses the rest with forbidden-path', () => {
    const access = new FileAccess({ roots: [root] });
    expect(access.check(path.join(root, 'a', 'b.csv'), 'write')).toBe(
      path.join(root, 'a', 'b.csv'),
    );
    const error = refusal(() => access.check(path.join(outside, 'secret.txt'), 'read', 'the CSV'));
    expect(error.code).toBe('forbidden-path');
    expect(error.message).toContain(path.join(outside, 'secret.txt'));
    expect(error.message).toContain('--allow-dir');
  });

  it('refuses traversal out of a root and a sibling folder sharing its prefix', () => {
    const access = new FileAccess({ roots: [root] });
    expect(refusal(() => access.check(`${root}/../elsewhere/secret.txt`, 'read')).code).toBe(
      'forbidden-path',
    );
    mkdirSync(`${root}-evil`);
    expect(refusal(() => access.check(`${root}-evil/x.csv`, 'write')).code).toBe('forbidden-path');
  });

  it('follows symlinks: a link inside a root to a file or folder outside is refused', () => {
    const access = new FileAccess({ roots: [root] });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'innocent.csv'));
    symlinkSync(outside, path.join(root, 'folder'));
    symlinkSync(path.join(outside, 'new.sh'), path.join(root, 'dangling.csv'));
    expect(refusal(() => access.check(path.join(root, 'innocent.csv'), 'read')).code).toBe(
      'forbidden-path',
    );
    expect(refusal(() => access.check(path.join(root, 'folder', 'x.csv'), 'write')).code).toBe(
      'forbidden-path',
    );
    expect(refusal(() => access.check(path.join(root, 'dangling.csv'), 'write')).code).toBe(
      'forbidden-path',
    );
  });

  it('a granted file is usable; new data files may be created beside it, nothing replaced', () => {
    const access = new FileAccess({ roots: [] });
    const picked = path.join(outside, 'export.csv');
    writeFileSync(picked, 'a\n1\n');
    expect(refusal(() => access.check(picked, 'read')).message).toContain('Browse');
    access.grantPath(picked);
    expect(access.check(picked, 'read')).toBe(picked);
    expect(access.check(path.join(outside, 'export.clean.csv'), 'write')).toBe(
      path.join(outside, 'export.clean.csv'),
    );
    expect(access.check(path.join(outside, 'export.rejects.xlsx'), 'write')).toBe(
      path.join(outside, 'export.rejects.xlsx'),
    );
    // Existing neighbours, scripts, macro workbooks and other folders stay out of reach.
    expect(refusal(() => access.check(path.join(outside, 'macro.xlsm'), 'write')).code).toBe(
      'forbidden-path',
    );
    expect(refusal(() => access.check(path.join(outside, 'secret.txt'), 'write')).code).toBe(
      'forbidden-path',
    );
    expect(refusal(() => access.check(path.join(outside, 'export.clean.csv'), 'read')).code).toBe(
      'forbidden-path',
    );
    expect(refusal(() => access.check(path.join(outside, 'evil.sh'), 'write')).code).toBe(
      'forbidden-path',
    );
    expect(refusal(() => access.check(path.join(root, 'x.csv'), 'write')).code).toBe(
      'forbidden-path',
    );
  });

  it('expands ~ to the home folder before checking', () => {
    expect(expandHome('~')).toBe(os.homedir());
    expect(expandHome('~/x.csv')).toBe(path.join(os.homedir(), 'x.csv'));
    expect(expandHome('/a/~/b')).toBe('/a/~/b');
    const access = new FileAccess({ roots: ['~'] });
    expect(access.check('~/x.csv', 'read')).toBe(path.join(os.homedir(), 'x.csv'));
  });

  it('web host roots: data folder, working directory, --allow-dir and SLUICE_ALLOW_DIRS', () => {
    expect(
      webHostRoots({
        dataFolder: '/data',
        cwd: '/work',
        allowDirs: ['/a'],
        env: { SLUICE_ALLOW_DIRS: ['/b', '/c'].join(path.delimiter) },
      }),
    ).toEqual(['/data', '/work', '/a', '/b', '/c']);
  });
});
