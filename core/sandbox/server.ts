import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiRouter } from './api-context';
import { runApiRequest } from './api-pipeline';
import { registerContactListRoutes } from './contact-list-routes';
import { registerContactRoutes } from './contact-routes';
import { SandboxHttpError, errorBody, sendJson, type RouteContext } from './http-kit';
import { createInspectionRouter, type SandboxInspector } from './inspection';
import { registerOrgRoutes } from './org-routes';
import { Router } from './router';
import type { SandboxWorld } from './world';

/** Hard cap on any request body (CSV uploads included), so a runaway client cannot exhaust memory. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** A running HTTP server and how to stop it. */
export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the HTTP server on 127.0.0.1 (core/sandbox/README.md). Every response carries
 * `inin-correlation-id`; an unexpected exception becomes a Genesys-shaped 500, never a crash.
 */
export async function startServer(
  world: SandboxWorld,
  inspector: SandboxInspector,
  port: number,
): Promise<RunningServer> {
  const api: ApiRouter = new Router();
  registerOrgRoutes(api);
  registerContactListRoutes(api);
  world.imports.register(api);
  registerContactRoutes(api);
  const inspection = createInspectionRouter(inspector);
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (delayMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, delayMs);
      timers.add(timer);
    });
  let baseUrl = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const correlationId = randomUUID();
    const atMs = world.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const context: RouteContext = {
      method,
      path,
      params: {},
      query: url.searchParams,
      headers: request.headers,
      rawBody: Buffer.alloc(0),
      correlationId,
      baseUrl,
    };
    const common = { 'inin-correlation-id': correlationId };
    const sendError = (error: SandboxHttpError) =>
      sendJson(
        response,
        error.status,
        errorBody(error.status, error.code, error.message, correlationId),
        { ...common, ...error.headers },
      );
    try {
      context.rawBody = await readBody(request);
      if (path.startsWith('/__sandbox/')) {
        if (!LOOPBACK.has(request.socket.remoteAddress ?? ''))
          throw new SandboxHttpError(403, 'forbidden', 'Inspection is loopback only.');
        const match = inspection.match(method, path);
        if (!('template' in match))
          throw new SandboxHttpError(404, 'not.found', `No inspection route ${method} ${path}.`);
        const result = await match.handler({ ...context, params: match.params });
        sendJson(response, result.status, result.body, common);
        return;
      }
      if (path.startsWith('/api/v2/')) {
        const { entry } = await runApiRequest(world, api, context, request, response, sleep);
        const bodyBytes = context.rawBody.length;
        world.record({ atMs, method, path, query, bodyBytes, correlationId, ...entry });
        return;
      }
      const status = handleLoginAndUploads(world, context, response, common);
      const bodyBytes = context.rawBody.length;
      world.record({ atMs, method, path, query, bodyBytes, correlationId, status });
    } catch (error) {
      const httpError =
        error instanceof SandboxHttpError
          ? error
          : new SandboxHttpError(
              500,
              'internal.server.error',
              `Sandbox error: ${error instanceof Error ? error.message : String(error)}`,
            );
      if (!response.headersSent && !response.destroyed) sendError(httpError);
      const bodyBytes = context.rawBody.length;
      world.record({
        atMs,
        method,
        path,
        query,
        bodyBytes,
        correlationId,
        status: httpError.status,
      });
    }
  };

  const server: Server = createServer((request, response) => {
    // Last line of defence: whatever happens, the server never crashes on one request.
    handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${actualPort}`;
  return {
    port: actualPort,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        world.imports.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `/oauth/token`, `/oauth/authorize` and the presigned `PUT /uploads/{key}`; returns the status sent. */
function handleLoginAndUploads(
  world: SandboxWorld,
  context: RouteContext,
  response: ServerResponse,
  common: Record<string, string>,
): number {
  const { method, path } = context;
  if (method === 'POST' && path === '/oauth/token') {
    const contentType = String(context.headers['content-type'] ?? '');
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      const body = {
        error: 'invalid_request',
        description: 'Use Content-Type application/x-www-form-urlencoded.',
        error_description: 'Use Content-Type application/x-www-form-urlencoded.',
      };
      sendJson(response, 400, body, common);
      return 400;
    }
    const form = new URLSearchParams(context.rawBody.toString('utf8'));
    const throttled = throttleTokenRequest(world, context, form, response, common);
    if (throttled !== undefined) return throttled;
    const result = world.auth.token(context.headers, form, world.now());
    sendJson(response, result.status, result.body, common);
    return result.status;
  }
  if (method === 'GET' && path === '/oauth/authorize') {
    const result = world.auth.authorize(context.query, world.now());
    if ('redirect' in result) {
      response.writeHead(302, { ...common, location: result.redirect });
      response.end();
      return 302;
    }
    sendJson(response, result.status, result.body, common);
    return result.status;
  }
  const upload = /^\/uploads\/([A-Za-z0-9]+)$/.exec(path);
  if (method === 'PUT' && upload !== null) {
    const result = world.imports.upload({ ...context, params: { uploadKey: upload[1] ?? '' } });
    sendJson(response, result.status, result.body, common);
    return result.status;
  }
  throw new SandboxHttpError(404, 'not.found', `No resource found for ${method} ${path}.`);
}

/**
 * Token creation is rate limited too, per client: a limit layer whose `endpoint` is
 * `POST /oauth/token` applies here (layers without an endpoint count API calls only).
 * Answers 429 and returns its status, or returns undefined to go on.
 */
function throttleTokenRequest(
  world: SandboxWorld,
  context: RouteContext,
  form: URLSearchParams,
  response: ServerResponse,
  common: Record<string, string>,
): number | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(String(context.headers.authorization ?? ''));
  const clientId = basic
    ? Buffer.from(basic[1] ?? '', 'base64')
        .toString('utf8')
        .split(':')[0]
    : form.get('client_id');
  const org = world.config.orgs.find(
    (candidate) => candidate.clientId === clientId || candidate.pkceClientId === clientId,
  );
  if (org === undefined || clientId === null || clientId === undefined) return undefined;
  const admission = world.limiters
    .get(org.id)
    ?.admit({ clientId, orgId: org.id, route: 'POST /oauth/token' }, world.now(), {
      endpointLayersOnly: true,
    });
  if (admission === undefined || admission.admitted) return undefined;
  for (const layer of admission.blockingLayers) {
    world.counters.rateLimitedByLayer[layer] = (world.counters.rateLimitedByLayer[layer] ?? 0) + 1;
  }
  const headers: Record<string, string> = { ...common };
  if (admission.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(admission.retryAfterSeconds);
  }
  const message = 'Too many token requests for this client. Reuse the token until it expires.';
  sendJson(
    response,
    429,
    errorBody(429, 'too.many.requests', message, common['inin-correlation-id'] ?? ''),
    headers,
  );
  return 429;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new SandboxHttpError(
            413,
            'request.entity.too.large',
            `The request body is over ${MAX_BODY_BYTES} bytes.`,
          ),
        );
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });
}
