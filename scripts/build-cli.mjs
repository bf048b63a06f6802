// Bundles the `sluice` command (cli/) and the web host (host/) into plain JavaScript in dist/,
// so neither needs a TypeScript loader at run time: `sluice --help` starts in a node-sized
// moment instead of compiling TypeScript first. Runs at `npm install` (the "prepare" script) and
// before the tests that spawn the CLI. Dependencies stay in node_modules (packages: external).
// Each bundle gets the CSV preparation worker beside it: core/csv/prepare-in-worker.ts looks for
// `prepare-worker.js` next to the module that imported it when it runs from a bundle.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

/**
 * The Genesys SDK takes most of the start-up time (it loads hundreds of API modules) and only
 * commands that talk to an org need it. This plugin hands the bundle a stand-in that `require`s
 * the real SDK the first time one of its members is read, so `sluice --help` or `prepare` never
 * load it. core/genesys/sdk-client.ts only reads members (`new platformClient.OutboundApi(…)`),
 * which the stand-in forwards.
 */
const lazyGenesysSdk = {
  name: 'lazy-genesys-sdk',
  setup(build) {
    build.onResolve({ filter: /^purecloud-platform-client-v2$/ }, (args) =>
      args.namespace === 'lazy-sdk'
        ? { path: args.path, external: true }
        : { path: 'sdk', namespace: 'lazy-sdk' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-sdk' }, () => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        let sdk;
        const load = () => (sdk ??= require('purecloud-platform-client-v2'));
        export default new Proxy({}, {
          get: (_target, key) => load()[key],
          has: (_target, key) => key in load(),
        });
      `,
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: process.argv.includes('--quiet') ? 'warning' : 'info',
  plugins: [lazyGenesysSdk],
};

// Chunk names carry a content hash: start clean so old chunks do not pile up.
for (const folder of ['dist/cli', 'dist/host']) rmSync(folder, { recursive: true, force: true });

await Promise.all([
  // Split into chunks so what the CLI imports on demand (the log) loads only when it is used.
  build({
    ...common,
    entryPoints: { sluice: 'cli/index.ts' },
    outdir: 'dist/cli',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  }),
  build({
    ...common,
    entryPoints: ['core/csv/prepare-worker-entry.ts'],
    outfile: 'dist/cli/prepare-worker.js',
  }),
  build({ ...common, entryPoints: ['host/main.ts'], outfile: 'dist/host/main.js' }),
  build({
    ...common,
    entryPoints: ['core/csv/prepare-worker-entry.ts'],
    outfile: 'dist/host/prepare-worker.js',
  }),
]);
