import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rendererContentType, rendererFileFor } from '../core/services/renderer-files';

/**
 * Serves the built renderer from `root`, GET/HEAD only, never outside `root` (no `..`), with the
 * same hardening headers Electron's window gets from its CSP.
 */
export async function serveStatic(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = new URL(request.url ?? '/', 'http://host').pathname;
  const filePath = rendererFileFor(root, pathname);
  if (filePath === undefined) {
    response.writeHead(403).end('Forbidden');
    return;
  }
  const info = await stat(filePath).catch(() => undefined);
  if (!info?.isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`Not found: ${pathname}`);
    return;
  }
  response.writeHead(200, {
    'Content-Type': rendererContentType(filePath),
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(filePath).pipe(response);
}
