import path from 'node:path';

// The built renderer (dist/renderer) is served by both shells: Electron's app:// protocol
// (electron/app-protocol.ts) and the web host (host/static-files.ts). What a URL path means and
// how a file is typed is decided here once, so the two cannot drift apart.

/** Content types of what Vite writes into the renderer folder, by extension. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The Content-Type header for a renderer file; unknown extensions are plain bytes. */
export function rendererContentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `rendererDir` that a URL path (still percent-encoded) names; `/` is
 * `index.html`. Undefined for a malformed encoding, an encoded backslash or NUL (Windows
 * separators and C-string tricks), or a path that escapes the folder. Whether it exists is the
 * caller's to check.
 */
export function rendererFileFor(rendererDir: string, urlPathname: string): string | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPathname);
  } catch {
    return undefined;
  }
  if (relative.includes('\\') || relative.includes('\0')) return undefined;
  if (relative === '/' || relative === '') relative = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${relative}`);
  return file.startsWith(`${root}${path.sep}`) ? file : undefined;
}
