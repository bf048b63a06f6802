import type { RouteContext, RouteResult } from './http-kit';

/** A route handler; may throw SandboxHttpError. */
export type RouteHandler<C extends RouteContext = RouteContext> = (
  context: C,
) => RouteResult | Promise<RouteResult>;

/** A matched route: its template (`METHOD /path/{param}`, used by limits and faults) and params. */
export interface RouteMatch<C extends RouteContext = RouteContext> {
  template: string;
  handler: RouteHandler<C>;
  params: Record<string, string>;
}

interface Route<C extends RouteContext> {
  method: string;
  template: string;
  segments: string[];
  handler: RouteHandler<C>;
}

/**
 * A minimal method + path-template router. Literal segments win over `{param}` segments, so
 * `/contactlists/uploads` is never read as a list id.
 */
export class Router<C extends RouteContext = RouteContext> {
  private readonly routes: Route<C>[] = [];

  /** Registers `handler` for `method` and a template such as `/api/v2/outbound/contactlists/{id}`. */
  add(method: string, pathTemplate: string, handler: RouteHandler<C>): this {
    this.routes.push({
      method,
      template: `${method} ${pathTemplate}`,
      segments: pathTemplate.split('/').filter(Boolean),
      handler,
    });
    this.routes.sort((a, b) => literalScore(b) - literalScore(a));
    return this;
  }

  /** Finds the route for a request, or `undefined`; `methodMismatch` tells 405 from 404. */
  match(method: string, path: string): RouteMatch<C> | { methodMismatch: boolean } {
    const parts = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      return { template: route.template, handler: route.handler, params };
    }
    return { methodMismatch: pathMatched };
  }
}

function literalScore(route: { segments: string[] }): number {
  return route.segments.filter((segment) => !segment.startsWith('{')).length;
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < template.length; index += 1) {
    const segment = template[index] ?? '';
    const part = parts[index] ?? '';
    if (segment.startsWith('{')) {
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}
