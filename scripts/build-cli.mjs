// Bundles the `sluice` command (cli/) and the web host (host/) into plain JavaScript in dist/,
// so neither needs a TypeScript loader at run time: `sluice --help` starts in a node-sized
// moment instead of compiling TypeScript first. Runs at `npm install` (the "prepare" script) and
// before the tests that spawn the CLI. Dependencies stay in node_modules (packages: external).
// Each bundle gets the CSV preparation worker beside it: core/csv/prepare-in-worker.ts looks for
// `prepare-worker.js` next to the module that imported it when it runs from a bundle.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

/**
 * CommonJS packages that cost start-up time but are used only inside functions, never while
 * modules load: the Genesys SDK (hundreds of API modules) above all, then the CSV parser, the
 * encoding detector and converter, and the phone-number metadata. The bundle gets a stand-in for
 * each that `require`s the real package the first time one of its members is used, so
 * `sluice --help` never loads them. Default imports become a Proxy that forwards member reads
 * (`Papa.parse`, `new platformClient.OutboundApi(…)`); named imports become functions that
 * forward their calls. A new top-level use of one of these packages must go through a member.
 */
const LAZY_PACKAGES = {
  'purecloud-platform-client-v2': [],
  papaparse: [],
  'iconv-lite': [],
  chardet: [],
  'libphonenumber-js/max': ['parsePhoneNumberFromString', 'isSupportedCountry'],
};

const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const names = Object.keys(LAZY_PACKAGES).map((name) => name.replace(/[/.-]/g, '\\$&'));
    const filter = new RegExp(`^(${names.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === 'lazy'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        'export default new Proxy({}, {',
        '  get: (_target, key) => load()[key],',
        '  has: (_target, key) => key in load(),',
        '});',
        ...LAZY_PACKAGES[args.path].map(
          (name) => `export const ${name} = (...values) => load().${name}(...values);`,
        ),
      ].join('\n'),
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
  plugins: [lazyPackages],
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
  // Every command's implementation is a chunk (the CLI imports it when the command runs), so
  // the worker goes beside the chunks, where prepare-in-worker.ts looks for it.
  build({
    ...common,
    entryPoints: ['core/csv/prepare-worker-entry.ts'],
    outfile: 'dist/cli/chunks/prepare-worker.js',
  }),
  build({ ...common, entryPoints: ['host/main.ts'], outfile: 'dist/host/main.js' }),
  build({
    ...common,
    entryPoints: ['core/csv/prepare-worker-entry.ts'],
    outfile: 'dist/host/prepare-worker.js',
  }),
]);
