import { OrgInput, type ConnectionReport, type OrgSummary } from '../../core/contract';
import { REGIONS } from '../../core/genesys/regions';
import { OrgRegistry } from '../../core/services/orgs-registry';
import { defaultDataFolder, openSecretStore } from '../../core/store';
import { openInSystemBrowser } from '../../core/services/system-browser';
import { countOf } from '../../core/text/count';

// What `sluice orgs …` does, imported by orgs.ts only when one of them runs: the org registry
// brings the contract's schemas, the keychain and the Genesys sign-in with it.

export interface AddOptions {
  name: string;
  region?: string;
  baseUrl?: string;
  clientId: string;
  auth: 'client-credentials' | 'pkce';
  redirectPort?: string;
}

/** `orgs list`: saved orgs (not the built-in Sandbox) as a table or JSON. */
export async function listOrgs(options: { json?: boolean }): Promise<void> {
  const { registry } = await openRegistry();
  const list = (await registry.list()).filter((org) => !org.builtIn);
  if (options.json) return print(JSON.stringify(list, null, 2));
  if (list.length === 0)
    return print(
      'No orgs yet. Add one with: sluice orgs add --name ... --region ... --client-id ...',
    );
  print(table(list));
}

/** `orgs add`: saves a profile; a client-credentials secret goes to the keychain only. */
export async function addOrg(options: AddOptions): Promise<void> {
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
    ...(options.redirectPort === undefined ? {} : { redirectPort: Number(options.redirectPort) }),
  });
  if (!input.success)
    throw new Error(
      `Invalid org: ${input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  const org = await registry.add(input.data);
  print(
    `Added ${org.name} as "${org.id}" (${org.authMethod}, ${org.apiUrl}). Check it with: sluice orgs test ${org.id}`,
  );
}

/** `orgs remove ID`: forgets the profile and its keychain entry. */
export async function removeOrg(id: string): Promise<void> {
  const { registry } = await openRegistry();
  if (!(await registry.remove(id)))
    throw new Error(`No org "${id}" is saved (see: sluice orgs list).`);
  print(`Removed ${id}.`);
}

/** `orgs test ID`: signs in and reports; exit code 1 when contact lists are not visible. */
export async function testOrg(id: string, options: { json?: boolean }): Promise<void> {
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
}

/** `orgs regions`: the Genesys Cloud regions and their API hosts. */
export function printRegions(): void {
  print(
    REGIONS.map(
      (entry) => `${entry.region.padEnd(16)} ${entry.apiUrl.padEnd(36)} ${entry.label}`,
    ).join('\n'),
  );
}

async function openRegistry() {
  // The keychain service honours SLUICE_KEYCHAIN_SERVICE (core/store keychainServiceName).
  const opened = await openSecretStore();
  const registry = new OrgRegistry({
    dataFolder: defaultDataFolder(),
    secretStore: opened.store,
    secretWarning: opened.warning,
    openBrowser: (url: string) => {
      process.stderr.write(`If no browser opens, visit:\n  ${url}\n`);
      openInSystemBrowser(url);
    },
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
      ? `  Contact lists: visible (${report.contactListCount === undefined ? '? lists' : countOf(report.contactListCount, 'list')})`
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
