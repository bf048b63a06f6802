#!/usr/bin/env node
// The `sluice` command: runs the CLI bundle that `npm install` builds (the "prepare" script runs
// scripts/build-cli.mjs), so no TypeScript is compiled at start-up.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/sluice.js', import.meta.url);
if (existsSync(bundle)) {
  const { main } = await import(bundle.href);
  process.exitCode = await main(process.argv);
} else {
  process.stderr.write(
    'sluice: the command-line bundle (dist/cli/sluice.js) is missing. Run `npm run build:cli` in the Sluice folder (npm install runs it too), then try again.\n',
  );
  process.exitCode = 1;
}
