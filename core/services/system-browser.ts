import { spawn } from 'node:child_process';

// One way to open the system browser for the CLI's and the web host's sign-ins and the host's
// own address (the desktop app uses Electron's shell.openExternal with its allow-list).

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

/**
 * Opens an http(s) URL in the system browser, best effort: a missing opener is ignored (callers
 * print the URL too). Throws for any other scheme (see browserCommand).
 */
export function openInSystemBrowser(url: string): void {
  const [command, args] = browserCommand(process.platform, url);
  spawn(command, args, { stdio: 'ignore', detached: true, shell: false })
    .on('error', () => undefined)
    .unref();
}
