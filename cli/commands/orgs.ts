import { Option, type Command } from 'commander';
import type { AddOptions } from './orgs-actions';

// The actions (org registry, keychain, sign-in) load only when an `orgs` command runs.
const actions = () => import('./orgs-actions');

/**
 * `sluice orgs add|list|remove|test|regions`: the same org profiles (data folder:
 * `SLUICE_DATA_DIR` or the OS app-data folder) and the same OS keychain (service `Sluice`, or
 * `SLUICE_KEYCHAIN_SERVICE`) as the desktop app. The client secret comes from
 * `SLUICE_CLIENT_SECRET` or a hidden prompt, never from a flag (flags end up in shell history and
 * process lists).
 */
export function registerOrgsCommand(program: Command): void {
  const orgs = program
    .command('orgs')
    .description('Manage the Genesys Cloud orgs Sluice signs in to (shared with the desktop app).');

  orgs
    .command('list')
    .description(
      'List saved orgs: region or base URL, sign-in method, client id, secret stored or not.',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => (await actions()).listOrgs(options));

  orgs
    .command('add')
    .description(
      'Save an org. The client secret is read from SLUICE_CLIENT_SECRET, or asked for (hidden).',
    )
    .requiredOption('--name <name>', 'display name, e.g. "Acme EU (prod)"')
    .option('--region <key>', `Genesys region (sluice orgs regions), e.g. eu_west_1`)
    .option(
      '--base-url <url>',
      'custom base URL instead of a region (sandbox, proxy), e.g. http://127.0.0.1:4100',
    )
    .requiredOption('--client-id <id>', 'OAuth client id')
    .addOption(
      new Option(
        '--auth <method>',
        'client-credentials (OAuth client with a secret) or pkce (a person signs in)',
      )
        .choices(['client-credentials', 'pkce'])
        .default('client-credentials'),
    )
    .option('--redirect-port <port>', 'pkce: fixed loopback port of the registered redirect URI')
    .action(async (options: AddOptions) => (await actions()).addOrg(options));

  orgs
    .command('remove <id>')
    .description('Forget an org and delete its secret from the keychain.')
    .action(async (id: string) => (await actions()).removeOrg(id));

  orgs
    .command('test <id>')
    .description(
      'Sign in, read the org, check the contact-list permission and show the API limits.',
    )
    .option('--json', 'print JSON instead of text')
    .action(async (id: string, options: { json?: boolean }) =>
      (await actions()).testOrg(id, options),
    );

  orgs
    .command('regions')
    .description('List the Genesys Cloud regions and their API hosts.')
    .action(async () => (await actions()).printRegions());
}
