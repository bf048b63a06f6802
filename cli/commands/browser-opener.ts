import { spawn } from 'node:child_process';

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
export function openInBrowser(url: string): Promise<void> {
  process.stderr.write(`If no browser opens, visit:\n  ${url}\n`);
  const [command, args] = browserCommand(process.platform, url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
    child.on('error', () => resolve());
    child.unref();
    resolve();
  });
}
