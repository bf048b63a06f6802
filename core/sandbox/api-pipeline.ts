import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext, ApiRouter } from './api-context';
import { FAULT_ERROR_CODES, drawFault, drawLatencyMs } from './faults';
import { SandboxHttpError, errorBody, sendJson, type RouteContext } from './http-kit';
import type { RateLimitHeaderValues } from './limits/layered-limiter';
import type { RequestLogEntry } from './types';
import type { SandboxWorld } from './world';

/** How the server finishes a request the pipeline handled (or deliberately did not answer). */
export interface PipelineOutcome {
  entry: Omit<
    RequestLogEntry,
    'atMs' | 'method' | 'path' | 'correlationId' | 'query' | 'bodyBytes'
  >;
}

/**
 * The `/api/v2` request pipeline, in the order the real service applies it: bearer token (401),
 * token-expiry fault, layered rate limits (429 with `Retry-After` per mode, the
 * `inin-ratelimit-*` headers and the documented body, docs/GENESYS.md#rate-limit-headers and
 * #rate-limit-429-body), request size (413), answers scripted by a test, injected faults and
 * latency, then the route handler; commit-then-drop runs the handler and destroys the socket.
 */
export async function runApiRequest(
  world: SandboxWorld,
  router: ApiRouter,
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
  sleep: (delayMs: number) => Promise<void>,
): Promise<PipelineOutcome> {
  const nowMs = world.now();
  const headers: Record<string, string> = { 'inin-correlation-id': context.correlationId };
  const fail = (error: SandboxHttpError, extra: Partial<PipelineOutcome['entry']> = {}) => {
    sendJson(
      response,
      error.status,
      errorBody(error.status, error.code, error.message, context.correlationId),
      {
        ...headers,
        ...error.headers,
      },
    );
    return { entry: { status: error.status, ...extra } };
  };

  const bearer = world.auth.checkBearer(request.headers.authorization, nowMs);
  if (!bearer.ok) return fail(new SandboxHttpError(401, bearer.code, bearer.message));
  const grant = bearer.grant;
  const who = { clientId: grant.clientId, orgId: grant.orgId };
  const expireAfter = world.config.faults.tokenExpiresAfterRequests;
  grant.requestCount += 1;
  if (expireAfter > 0 && grant.requestCount > expireAfter) {
    grant.revoked = true;
    world.countFault('token-expired');
    return fail(new SandboxHttpError(401, 'bad.credentials', 'Invalid login credentials.'), {
      ...who,
      outcome: 'token-expired',
    });
  }

  const match = router.match(context.method, context.path);
  const route = 'template' in match ? match.template : `${context.method} ${context.path}`;
  const limiter = world.limiters.get(grant.orgId);
  const org = world.config.orgs.find((candidate) => candidate.id === grant.orgId);
  const userId = org?.pkceClientId === grant.clientId ? org.user.id : undefined;
  const admission = limiter?.admit(
    { ...who, route, token: grant.token, ...(userId ? { userId } : {}) },
    nowMs,
  );
  // a concurrency cap counts the request until its answer is sent or its socket dropped
  if (admission?.admitted) response.once('close', admission.release);
  if (admission?.headers !== undefined) Object.assign(headers, rateHeaders(admission.headers));
  if (admission !== undefined && !admission.admitted) {
    for (const layer of admission.blockingLayers) {
      world.counters.rateLimitedByLayer[layer] =
        (world.counters.rateLimitedByLayer[layer] ?? 0) + 1;
    }
    const mode = world.config.retryAfterMode;
    const waitSeconds = admission.retryAfterSeconds;
    if (waitSeconds !== undefined && mode !== 'message-only' && mode !== 'missing')
      headers['retry-after'] = String(waitSeconds);
    const { code, message } = rateLimitBody(mode === 'missing' ? undefined : waitSeconds);
    return fail(new SandboxHttpError(429, code, message), {
      ...who,
      outcome: `rate-limited:${admission.blockingLayers.join(',')}`,
    });
  }

  if (!('template' in match)) {
    return match.methodMismatch
      ? fail(
          new SandboxHttpError(
            405,
            'method.not.allowed',
            `${context.method} is not supported on ${context.path}.`,
          ),
          who,
        )
      : fail(new SandboxHttpError(404, 'not.found', `No resource found for ${context.path}.`), who);
  }
  const maxBytes = world.config.rules.maxRequestBytes;
  if (context.rawBody.length > maxBytes) {
    return fail(
      new SandboxHttpError(
        413,
        'request.entity.too.large',
        `The request is ${context.rawBody.length} bytes; the maximum is ${maxBytes} (request.bytes.max). Send smaller batches.`,
      ),
      who,
    );
  }

  const scripted = world.takeScriptedAnswer(route);
  if (scripted !== undefined) {
    return fail(new SandboxHttpError(scripted.status, scripted.code, scripted.message), {
      ...who,
      outcome: 'scripted',
    });
  }

  const fault = drawFault(world.config.faults, route, world.random);
  const latencyMs = drawLatencyMs(world.config.faults, world.random);
  if (latencyMs > 0) await sleep(latencyMs);
  if (fault.kind === 'status') {
    world.countFault(String(fault.status));
    const { code, message } = FAULT_ERROR_CODES[fault.status];
    return fail(new SandboxHttpError(fault.status, code, message), {
      ...who,
      outcome: `fault-${fault.status}`,
    });
  }
  if (fault.kind === 'reset') {
    world.countFault('reset');
    request.socket.destroy();
    return { entry: { status: 0, ...who, outcome: 'reset' } };
  }
  if (fault.kind === 'timeout') {
    world.countFault('timeout');
    return { entry: { status: 0, ...who, outcome: 'timeout' } };
  }

  const store = world.stores.get(grant.orgId);
  if (store === undefined)
    return fail(new SandboxHttpError(401, 'bad.credentials', 'Invalid login credentials.'));
  const apiContext: ApiContext = {
    ...context,
    params: match.params,
    store,
    grant,
    config: world.config,
    nowMs,
  };
  let result;
  try {
    result = await match.handler(apiContext);
  } catch (error) {
    if (error instanceof SandboxHttpError) return fail(error, who);
    throw error;
  }
  const contactCount = result.contactCount;
  if (fault.kind === 'commit-then-drop') {
    world.countFault('commit-then-drop');
    request.socket.destroy();
    return {
      entry: {
        status: 0,
        ...who,
        outcome: 'commit-then-drop',
        ...(contactCount === undefined ? {} : { contactCount }),
      },
    };
  }
  sendJson(response, result.status, result.body, { ...headers, ...result.headers });
  return {
    entry: {
      status: result.status,
      ...who,
      ...(contactCount === undefined ? {} : { contactCount }),
    },
  };
}

/**
 * The 429 body Genesys sends (docs/GENESYS.md#rate-limit-429-body): with a wait, code
 * `too.many.requests.retry.after` and "Retry the request in [N] seconds"; without one, code
 * `too.many.requests`.
 */
export function rateLimitBody(waitSeconds: number | undefined): { code: string; message: string } {
  return waitSeconds === undefined
    ? { code: 'too.many.requests', message: 'Rate limit exceeded the maximum. Retry later.' }
    : {
        code: 'too.many.requests.retry.after',
        message: `Rate limit exceeded the maximum. Retry the request in [${waitSeconds}] seconds`,
      };
}

function rateHeaders(values: RateLimitHeaderValues): Record<string, string> {
  return {
    'inin-ratelimit-allowed': String(values.allowed),
    'inin-ratelimit-count': String(values.count),
    'inin-ratelimit-reset': String(values.resetSeconds),
  };
}
