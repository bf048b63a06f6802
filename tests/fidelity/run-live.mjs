#!/usr/bin/env node
/**
 * `npm run test:live`: runs tests/fidelity against a real Genesys Cloud org, so anyone with an
 * org can confirm or refute what the Sandbox encodes (docs/GENESYS.md). Needs
 * GENESYS_LIVE_REGION (e.g. eu_west_1), GENESYS_LIVE_CLIENT_ID, GENESYS_LIVE_CLIENT_SECRET (a
 * client-credentials client with the outbound contact permissions) and GENESYS_LIVE_LIST_ID (a
 * scratch contact list the tests write to and clean up). Without them, or under CI, it says why
 * and exits 0: a live org is never part of CI.
 */
import { spawnSync } from 'node:child_process';

const required = [
  'GENESYS_LIVE_REGION',
  'GENESYS_LIVE_CLIENT_ID',
  'GENESYS_LIVE_CLIENT_SECRET',
  'GENESYS_LIVE_LIST_ID',
];
const missing = required.filter((name) => !process.env[name]);
if (process.env.CI) {
  console.log('test:live skipped: CI is set, and a live org is never part of CI.');
  process.exit(0);
}
if (missing.length > 0) {
  console.log(
    `test:live skipped: set ${missing.join(', ')} to run the fidelity tests against a real org.`,
  );
  process.exit(0);
}
const result = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'tests/fidelity/vitest.fidelity.config.ts'],
  { stdio: 'inherit', env: { ...process.env, SLUICE_FIDELITY_TARGET: 'live' } },
);
process.exit(result.status ?? 1);
