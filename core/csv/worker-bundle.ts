import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where bundles of TypeScript worker entries are kept (a cache, like other tools' in node_modules). */
const CACHE_DIR = new URL('../../node_modules/.cache/sluice/', import.meta.url);

const bundles = new Map<string, Promise<URL | undefined>>();

/**
 * When running from source, bundles a TypeScript worker entry into one ES module with esbuild
 * (the bundler tsx itself runs on), packages left external, and returns its URL; undefined when
 * esbuild or the cache folder is unavailable (the caller then loads the .ts through tsx).
 * Why: a worker that registers tsx and compiles each module on import takes ~1 s to start on
 * this project (docs/bench/csv.bench.ts.md, "worker start"); the bundle starts in a fraction.
 * The file is named by its content hash, so every change gives a new file and concurrent
 * processes share identical ones. Built once per process per entry.
 */
export function bundledWorkerUrl(entry: URL): Promise<URL | undefined> {
  let bundle = bundles.get(entry.href);
  if (!bundle) {
    bundle = buildBundle(entry).catch(() => undefined);
    bundles.set(entry.href, bundle);
  }
  return bundle;
}

async function buildBundle(entry: URL): Promise<URL | undefined> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text;
  if (text === undefined) return undefined;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const target = new URL(`prepare-worker-${hash}.mjs`, CACHE_DIR);
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(CACHE_DIR, { recursive: true });
    const temporary = `${fileURLToPath(target)}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, target); // atomic: a concurrent reader never sees half a file
  }
  return pathToFileURL(fileURLToPath(target));
}
