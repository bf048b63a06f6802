import { execFileSync } from 'node:child_process';

/**
 * Vitest global setup for the integration tests: rebuilds dist/cli and dist/host from the
 * current source before any test spawns `bin/sluice.js`, so a test never runs a stale bundle
 * (scripts/build-cli.mjs; it takes about a second).
 */
export default function buildCliBundle(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs', '--quiet'], { stdio: 'inherit' });
}
