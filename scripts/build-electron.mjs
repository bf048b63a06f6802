// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, as sandboxed
// preloads require) into dist/electron/. Runtime dependencies stay in node_modules.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'info',
};

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.js',
  format: 'esm',
  packages: 'external',
});
await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
// The CSV preparation worker runs in its own thread: bundled whole, next to main.js.
await build({
  ...common,
  entryPoints: ['core/csv/prepare-worker-entry.ts'],
  outfile: 'dist/electron/prepare-worker.js',
  format: 'esm',
  packages: 'external',
});
