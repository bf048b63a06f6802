import { existsSync, lstatSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContractError } from '../contract';

/** What a service is about to do with a path it got through the contract. */
export type FileIntent = 'read' | 'write';

/**
 * Extensions a desktop save may create beside a file the consultant picked (the Prepare screen
 * proposes `export.clean.csv` and `export.rejects.csv` next to `export.csv`). Data files only: a
 * compromised renderer cannot plant a script or a shell start-up file this way (an .xlsx
 * workbook cannot carry macros; those need .xlsm).
 */
const SIBLING_EXTENSIONS = new Set(['.csv', '.tsv', '.txt', '.json', '.xlsx']);

/**
 * File access by capability: every service asks this module before it opens a path that came
 * through the contract, so a compromised renderer (or anything holding the web host's token)
 * cannot read `~/.ssh` or overwrite `~/.bashrc` (the README's Security section states the model).
 *
 * - `roots` (both shells): whole folders the user granted at launch: the data folder always; for
 *   the web host also the working directory and each `--allow-dir`.
 * - grants (desktop app): single files the main process got from a native dialog or a drop
 *   (`grantPath`). A granted file may be read and written; a new data file (csv, tsv, txt, json)
 *   may be created in a granted file's folder, but no existing file there replaced.
 *
 * Paths are compared after `~` expansion and symlink resolution, so a link inside a root that
 * points outside it is refused. The CLI runs as the user and does not use this module.
 */
export class FileAccess {
  private readonly roots: string[];
  private readonly granted = new Set<string>();

  constructor(options: { roots: readonly string[] }) {
    this.roots = options.roots.map((root) => canonical(expandHome(root)));
  }

  /** The folders granted whole, canonical (for the README's "what can it touch" and tests). */
  get grantedRoots(): readonly string[] {
    return this.roots;
  }

  /**
   * Lets the renderer use one file the user chose in a native dialog or dropped on the window.
   * Only the main process may call it, with a path that did not come from the renderer.
   */
  grantPath(filePath: string): void {
    this.granted.add(canonical(expandHome(filePath)));
  }

  /**
   * The absolute path to open, after `~` expansion, or a `forbidden-path` ContractError saying
   * which folders are allowed. `what` names the file in the message ("the CSV file").
   */
  check(filePath: string, intent: FileIntent, what = 'the file'): string {
    const absolute = path.resolve(expandHome(filePath));
    const real = canonical(absolute);
    if (this.roots.some((root) => isInside(real, root))) return absolute;
    if (this.granted.has(real)) return absolute;
    if (intent === 'write' && this.mayCreateBesideGrant(real)) return absolute;
    throw new ContractError(
      'forbidden-path',
      `Sluice may not ${intent} ${what} ${shorten(absolute)}: it is outside the folders you allowed. ` +
        (this.granted.size > 0 || this.roots.length === 0
          ? 'Choose the file with Browse… (or drop it on the window).'
          : `Move it under ${this.roots.join(' or ')}, or start the host with --allow-dir <folder>.`),
    );
  }

  private mayCreateBesideGrant(real: string): boolean {
    if (existsSync(real)) return false;
    if (!SIBLING_EXTENSIONS.has(path.extname(real).toLowerCase())) return false;
    const folder = path.dirname(real);
    return [...this.granted].some((granted) => path.dirname(granted) === folder);
  }
}

/** A path as a message shows it: hostile callers send megabyte-long ones. */
function shorten(filePath: string): string {
  return filePath.length <= 300 ? filePath : `${filePath.slice(0, 150)}…${filePath.slice(-100)}`;
}

/** `~` and `~/x` mean the user's home folder, as a consultant types them. */
export function expandHome(filePath: string): string {
  if (filePath === '~') return os.homedir();
  if (filePath.startsWith('~/') || filePath.startsWith('~\\')) {
    return path.join(os.homedir(), filePath.slice(2));
  }
  return filePath;
}

/**
 * The path with every symlink resolved. For a path that does not exist yet, its nearest existing
 * ancestor is resolved and the rest appended, so a write through a linked folder is caught too.
 */
function canonical(filePath: string, depth = 0): string {
  const absolute = path.resolve(filePath);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    const link = statOrUndefined(current);
    if (link) {
      // A dangling symlink exists as a link: follow where it points, or a write would escape.
      const real =
        link.isSymbolicLink() && !existsSync(current) && depth < 40
          ? canonical(path.resolve(path.dirname(current), readlinkSync(current)), depth + 1)
          : realpathSync.native(current);
      return missing.length === 0 ? real : path.join(real, ...missing.reverse());
    }
    const parent = path.dirname(current);
    if (parent === current) return absolute;
    missing.push(path.basename(current));
    current = parent;
  }
}

function statOrUndefined(filePath: string): Stats | undefined {
  try {
    return lstatSync(filePath);
  } catch {
    return undefined; // missing, or a file used as a folder (ENOTDIR): nothing to resolve
  }
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The folders the web host grants: the data folder, the working directory, every `--allow-dir`
 * and each entry of `SLUICE_ALLOW_DIRS` (separated like PATH).
 */
export function webHostRoots(options: {
  dataFolder: string;
  allowDirs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): string[] {
  const fromEnv = (options.env?.SLUICE_ALLOW_DIRS ?? '')
    .split(path.delimiter)
    .filter((entry) => entry.trim() !== '');
  return [
    options.dataFolder,
    options.cwd ?? process.cwd(),
    ...(options.allowDirs ?? []),
    ...fromEnv,
  ];
}

/**
 * What a shell gets when it passes no policy: the web host allows its data folder and working
 * directory; the desktop app only its data folder until the user picks or drops a file.
 */
export function defaultFileAccess(shell: 'electron' | 'web-host', dataFolder: string): FileAccess {
  return new FileAccess({
    roots: shell === 'web-host' ? webHostRoots({ dataFolder }) : [dataFolder],
  });
}

/**
 * Refuses a preparation whose outputs are its input or each other: opening the clean file
 * would truncate the CSV being read. Compared after symlinks are resolved.
 */
export function refuseSameFile(inputPath: string, outPath: string, rejectsPath: string): void {
  const input = canonical(inputPath);
  const out = canonical(outPath);
  const rejects = canonical(rejectsPath);
  if (out === input || rejects === input) {
    throw new ContractError(
      'invalid-request',
      `The ${out === input ? 'clean' : 'rejects'} file is the CSV being read (${inputPath}): choose another name, or it would be erased.`,
    );
  }
  if (out === rejects) {
    throw new ContractError(
      'invalid-request',
      `The clean and rejects files are the same file (${outPath}): give each its own name.`,
    );
  }
}
