import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../../core/services/system-browser';

const pkceUrl =
  'https://login.mypurecloud.com/oauth/authorize?response_type=code&client_id=abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080&code_challenge=x&state=y';

describe('the CLI browser opener', () => {
  it('passes the whole URL as one argument to a program, never through cmd', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const [command, args] = browserCommand(platform, pkceUrl);
      expect(command).not.toMatch(/cmd|powershell|sh$/i);
      expect(args).toEqual([pkceUrl]);
    }
    const injected = 'https://x.example/?a=1&calc.exe&b="2"';
    expect(browserCommand('win32', injected)).toEqual(['explorer.exe', [injected]]);
  });

  it('opens only http(s) addresses', () => {
    expect(() => browserCommand('win32', 'file:///C:/Windows/System32/calc.exe')).toThrow(/http/);
    expect(() => browserCommand('linux', 'javascript:alert(1)')).toThrow(/http/);
  });
});
