import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  APP_ORIGIN,
  appResponseHeaders,
  CONTENT_SECURITY_POLICY,
  denyPermissionCheck,
  denyPermissionRequest,
  EXTERNAL_HOSTS,
  isAllowedExternalUrl,
  isTrustedIpcSender,
  mainWindowOptions,
  preventNavigation,
  RENDERER_URL,
  resolveAppFile,
  windowOpenHandler,
} from '../../../electron/security-policy';

const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'sluice-renderer-'));
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

describe('the main window checklist', () => {
  const options = mainWindowOptions({ preloadPath: '/app/preload.cjs', channelsArgument: '--c=a' });

  it('runs the renderer sandboxed and isolated, without Node, with web security on', () => {
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
      additionalArguments: ['--c=a'],
    });
    expect(options.show).toBe(false);
  });

  it('opens at the remembered bounds when given, the default size otherwise', () => {
    expect(
      mainWindowOptions({
        preloadPath: 'p',
        channelsArgument: 'c',
        bounds: { x: 10, y: 20, width: 1000, height: 700 },
      }),
    ).toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
    expect(options).toMatchObject({ width: 1280, height: 820 });
    expect(options.x).toBeUndefined();
  });

  it('refuses every permission request and check', () => {
    const callback = vi.fn();
    denyPermissionRequest({}, 'media', callback);
    denyPermissionRequest({}, 'notifications', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(denyPermissionCheck()).toBe(false);
  });

  it('never navigates and never opens a window; allow-listed links go to the system browser', () => {
    const event = { preventDefault: vi.fn() };
    preventNavigation(event);
    expect(event.preventDefault).toHaveBeenCalledOnce();

    const opened: string[] = [];
    const handler = windowOpenHandler((url) => opened.push(url));
    expect(handler({ url: 'https://help.mypurecloud.com/articles/x' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://evil.example/phish' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'http://127.0.0.1:8080/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://help.mypurecloud.com/articles/x']);
  });
});

describe('the openExternal allow-list', () => {
  it('holds the Genesys login host of every region, help and developer sites', () => {
    expect(EXTERNAL_HOSTS).toContain('login.mypurecloud.ie');
    expect(EXTERNAL_HOSTS).toContain('login.apne3.pure.cloud');
    expect(EXTERNAL_HOSTS).toContain('help.mypurecloud.com');
    expect(EXTERNAL_HOSTS).toContain('developer.genesys.cloud');
  });

  it.each([
    ['https://login.mypurecloud.de/oauth/authorize?client_id=x', true],
    ['https://developer.genesys.cloud/', true],
    ['http://login.mypurecloud.de/', false],
    ['https://login.mypurecloud.de.evil.example/', false],
    ['https://user:pw@login.mypurecloud.de/', false],
    ['file:///etc/passwd', false],
    ['smb://share/x', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    ['http://127.0.0.1:4000/oauth/authorize', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('admits loopback only when the main process asks (Sandbox sign-in)', () => {
    expect(
      isAllowedExternalUrl('http://127.0.0.1:4000/oauth/authorize', { allowLoopback: true }),
    ).toBe(true);
    expect(isAllowedExternalUrl('file:///x', { allowLoopback: true })).toBe(false);
  });
});

describe('the IPC sender check', () => {
  const main = { id: 1 };
  const topFrame = { url: `${APP_ORIGIN}/index.html#/upload`, parent: null };

  it("accepts our window's top frame on the app origin only", () => {
    expect(isTrustedIpcSender({ sender: main, senderFrame: topFrame }, main)).toBe(true);
    expect(isTrustedIpcSender({ sender: { id: 2 }, senderFrame: topFrame }, main)).toBe(false);
    expect(
      isTrustedIpcSender({ sender: main, senderFrame: { ...topFrame, parent: topFrame } }, main),
    ).toBe(false);
    expect(
      isTrustedIpcSender(
        { sender: main, senderFrame: { url: 'https://evil.example/', parent: null } },
        main,
      ),
    ).toBe(false);
    expect(
      isTrustedIpcSender(
        { sender: main, senderFrame: { url: 'file:///app/index.html', parent: null } },
        main,
      ),
    ).toBe(false);
    expect(isTrustedIpcSender({ sender: main, senderFrame: null }, main)).toBe(false);
    expect(isTrustedIpcSender({ sender: main, senderFrame: topFrame }, undefined)).toBe(false);
  });
});

describe('the app:// protocol', () => {
  it('maps app://sluice paths into the renderer folder and nothing outside it', () => {
    expect(resolveAppFile(rendererDir, RENDERER_URL)).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveAppFile(rendererDir, 'app://sluice/')).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveAppFile(rendererDir, 'app://sluice/assets/index-1.js')).toBe(
      path.join(rendererDir, 'assets', 'index-1.js'),
    );
    expect(resolveAppFile(rendererDir, 'app://sluice/../../etc/passwd')).toBe(
      path.join(rendererDir, 'etc', 'passwd'),
    );
    // The URL parser folds dot segments (plain or %2e) into the root; an encoded slash that
    // would let `..` through after decoding is refused.
    expect(resolveAppFile(rendererDir, 'app://sluice/%2e%2e/%2e%2e/etc/passwd')).toBe(
      path.join(rendererDir, 'etc', 'passwd'),
    );
    expect(resolveAppFile(rendererDir, 'app://sluice/a%2f..%2f..%2fetc%2fpasswd')).toBeUndefined();
    expect(resolveAppFile(rendererDir, 'app://sluice:8080/index.html')).toBeUndefined();
    expect(resolveAppFile(rendererDir, 'app://sluice/..%5c..%5csecret')).toBeUndefined();
    expect(resolveAppFile(rendererDir, 'app://other/index.html')).toBeUndefined();
    expect(resolveAppFile(rendererDir, 'file:///etc/passwd')).toBeUndefined();
  });

  it('answers with the CSP header, scripts only from the app and no network', () => {
    const headers = appResponseHeaders('/x/index.html');
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });
});
