import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import { OrgInput, type ConnectionReport, type OrgSummary } from '../../core/contract';
import { REGIONS } from '../../core/genesys/regions';
import { OrgRegistry } from '../../core/services/orgs-registry';
import { defaultDataFolder, openSecretStore } from '../../core/store';

interface AddOptions {
  name: string;
  region?: string;
  baseUrl?: string;
  clientId: string;
  auth: 'client-credentials' | 'pkce';
  redirectPort?: string;
}

/**
 * `sluice orgs add|list|remove|test|regions`: the same org profiles (data folder:
 * `SLUICE_DATA_DIR` or the OS app-data folder) and the same OS keychain (service `Sluice`) as
 * the desktop app. The client secret comes from `SLUICE_CLIENT_SECRET` or a hidden prompt, never
 * from a flag (flags end up in shell history and process lists).
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
    .action(async (options: { json?: boolean }) => {
      const { registry } = await openRegistry();
      const list = (await registry.list()).filter((org) => !org.builtIn);
      if (options.json) return print(JSON.stringify(list, null, 2));
      if (list.length === 0)
        return print(
          'No orgs yet. Add one with: sluice orgs add --name ... --region ... --client-id ...',
        );
      print(table(list));
    });

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
    .action(async (options: AddOptions) => {
      if ((options.region === undefined) === (options.baseUrl === undefined)) {
        throw new Error('Give exactly one of --region <key> or --base-url <url>.');
      }
      const { registry, persistent, warning } = await openRegistry();
      let clientSecret: string | undefined;
      if (options.auth === 'client-credentials') {
        if (!persistent) {
          throw new Error(
            `Cannot save the client secret: ${(warning ?? 'no OS keychain').replace(/\.$/, '')}. Install or unlock the OS keychain, or add the org in the desktop app.`,
          );
        }
        clientSecret = await readSecret();
      }
      const input = OrgInput.safeParse({
        name: options.name,
        region: options.region ?? 'custom',
        ...(options.baseUrl === undefined ? {} : { apiUrl: options.baseUrl }),
        authMethod: options.auth,
        clientId: options.clientId,
        ...(clientSecret === undefined ? {} : { clientSecret }),
        ...(options.redirectPort === undefined
          ? {}
          : { redirectPort: Number(options.redirectPort) }),
      });
      if (!input.success)
        throw new Error(
          `Invalid org: ${input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
        );
      const org = await registry.add(input.data);
      print(
        `Added ${org.name} as "${org.id}" (${org.authMethod}, ${org.apiUrl}). Check it with: sluice orgs test ${org.id}`,
      );
    });

  orgs
    .command('remove <id>')
    .description('Forget an org and delete its secret from the keychain.')
    .action(async (id: string) => {
      const { registry } = await openRegistry();
      if (!(await registry.remove(id)))
        throw new Error(`No org "${id}" is saved (see: sluice orgs list).`);
      print(`Removed ${id}.`);
    });

  orgs
    .command('test <id>')
    .description(
      'Sign in, read the org, check the contact-list permission and show the API limits.',
    )
    .option('--json', 'print JSON instead of text')
    .action(async (id: string, options: { json?: boolean }) => {
      const { registry } = await openRegistry();
      try {
        const org = await registry.get(id);
        if (org.authMethod === 'pkce')
          process.stderr.write(`Opening the browser to sign in to ${org.name}…\n`);
        const report = await registry.test(id);
        print(options.json ? JSON.stringify(report, null, 2) : describeReport(org, report));
        if (!report.canViewContactLists) process.exitCode = 1;
      } finally {
        registry.signOutAll();
      }
    });

  orgs
    .command('regions')
    .description('List the Genesys Cloud regions and their API hosts.')
    .action(() => {
      print(
        REGIONS.map(
          (entry) => `${entry.region.padEnd(16)} ${entry.apiUrl.padEnd(36)} ${entry.label}`,
        ).join('\n'),
      );
    });
}

async function openRegistry() {
  // The keychain service honours SLUICE_KEYCHAIN_SERVICE (core/store keychainServiceName).
  const opened = await openSecretStore();
  const registry = new OrgRegistry({
    dataFolder: defaultDataFolder(),
    secretStore: opened.store,
    secretWarning: opened.warning,
    openBrowser: openInBrowser,
  });
  return { registry, persistent: opened.store.persistent, warning: opened.warning };
}

/** The secret from SLUICE_CLIENT_SECRET, else a hidden prompt on a terminal. */
async function readSecret(): Promise<string> {
  const fromEnv = process.env.SLUICE_CLIENT_SECRET;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new Error(
      'No client secret: set SLUICE_CLIENT_SECRET, or run in a terminal to type it (hidden).',
    );
  }
  const secret = await promptHidden('Client secret (hidden): ');
  if (!secret) throw new Error('No client secret entered.');
  return secret;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new Error('Cancelled.'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The OS opener for a URL, run without a shell: `cmd /c start` would split the URL at `&` (a
 * PKCE URL has several) and run whatever follows as a command. Only http(s) URLs are opened.
 */
export function browserCommand(platform: NodeJS.Platform, url: string): [string, string[]] {
  const protocol = new URL(url).protocol;
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new Error(`Refusing to open ${url}: only http(s) addresses are opened in a browser.`);
  }
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['explorer.exe', [url]];
  return ['xdg-open', [url]];
}

/** Opens a URL with the OS opener; the URL is also printed in case no browser starts. */
function openInBrowser(url: string): Promise<void> {
  process.stderr.write(`If no browser opens, visit:\n  ${url}\n`);
  const [command, args] = browserCommand(process.platform, url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
    child.on('error', () => resolve());
    child.unref();
    resolve();
  });
}

function table(list: OrgSummary[]): string {
  const rows = [
    ['ID', 'NAME', 'WHERE', 'SIGN-IN', 'CLIENT ID', 'SECRET'],
    ...list.map((org) => [
      org.id,
      org.name,
      org.region === 'custom' ? org.apiUrl : org.region,
      org.authMethod,
      org.clientId ?? '',
      org.authMethod === 'pkce' ? '-' : org.hasSecret ? 'stored' : 'missing',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describeReport(org: OrgSummary, report: ConnectionReport): string {
  const lines = [
    `${org.name}: connected to "${report.genesysOrgName}" (${report.genesysOrgId}) at ${report.apiUrl}`,
    report.canViewContactLists
      ? `  Contact lists: visible (${report.contactListCount ?? '?'} lists)`
      : `  Contact lists: NOT visible. ${report.permissionMessage ?? ''}`,
  ];
  if (report.limits.length > 0) {
    lines.push('  Limits:');
    for (const limit of report.limits)
      lines.push(`    ${limit.namespace} ${limit.key} = ${limit.value}`);
  }
  if (report.limitsMessage) lines.push(`  Limits not read: ${report.limitsMessage}`);
  return lines.join('\n');
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
