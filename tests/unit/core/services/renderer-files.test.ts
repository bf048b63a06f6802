import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererContentType, rendererFileFor } from '../../../../core/services/renderer-files';

// Both shells (Electron's app:// protocol, the web host) resolve renderer URLs through this.
const root = path.resolve('/srv/renderer');

describe('rendererFileFor', () => {
  it('maps / to index.html and a path to the file below the folder', () => {
    expect(rendererFileFor(root, '/')).toBe(path.join(root, 'index.html'));
    expect(rendererFileFor(root, '/assets/index-1.js')).toBe(path.join(root, 'assets/index-1.js'));
    expect(rendererFileFor(root, '/a%20b.css')).toBe(path.join(root, 'a b.css'));
  });

  it('refuses encoded escapes, backslashes, NUL and malformed encodings', () => {
    for (const pathname of [
      '/%2e%2e/%2e%2e/etc/passwd',
      '/a%2f..%2f..%2fetc%2fpasswd',
      '/..%5c..%5csecret',
      '/index.html%00.png',
      '/%E0%A4%A',
    ]) {
      expect(rendererFileFor(root, pathname), pathname).toBeUndefined();
    }
  });
});

describe('rendererContentType', () => {
  it('types what Vite writes, whatever the case of the extension, and bytes otherwise', () => {
    expect(rendererContentType('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(rendererContentType('/x/APP.JS')).toBe('text/javascript; charset=utf-8');
    expect(rendererContentType('/x/font.woff2')).toBe('font/woff2');
    expect(rendererContentType('/x/blob.bin')).toBe('application/octet-stream');
  });
});
