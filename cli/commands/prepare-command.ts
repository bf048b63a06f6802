import type { LazyCommand } from '../lazy-command';

/**
 * `sluice prepare` as `sluice --help` lists it; the options, checks and action are in
 * prepare.ts, imported only when the command runs (it pulls in the CSV pipeline).
 */
export const PREPARE_COMMANDS: LazyCommand[] = [
  {
    term: 'prepare',
    description:
      'Check and normalise a CSV file against a contact list, offline: writes a clean file and a rejects file',
    load: async () => (await import('./prepare')).registerPrepareCommand,
  },
];
