import type { ApiRouter } from './api-context';
import { SandboxHttpError } from './http-kit';

/** Namespaces this Sandbox answers (docs/GENESYS.md#limits-namespaces): dots, never `platform-api`. */
export const LIMIT_NAMESPACES = ['platform.api', 'outbound'] as const;

/**
 * `GET /api/v2/organizations/me` and `GET /api/v2/organizations/limits/namespaces/{ns}`
 * (docs/GENESYS.md#limits-api: read the org's effective limits to seed the throttle). The
 * `platform.api` and `outbound` namespaces report the configured numbers, so a client that reads
 * them learns exactly what this sandbox enforces on the reported layers; any other name is a 404.
 */
export function registerOrgRoutes(router: ApiRouter): void {
  router
    .add('GET', '/api/v2/organizations/me', (context) => {
      const org = context.store.org;
      return {
        status: 200,
        body: {
          id: org.id,
          name: org.name,
          defaultLanguage: 'en-us',
          defaultCountryCode: 'US',
          thirdPartyOrgName: org.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
          domain: 'sandbox.local',
          state: 'active',
          version: 1,
          selfUri: `/api/v2/organizations/${org.id}`,
        },
      };
    })
    .add('GET', '/api/v2/organizations/limits/namespaces/{ns}', (context) => {
      const namespace = context.params.ns ?? '';
      const limits = context.store.org.limits ?? context.config.limits;
      const perMinute = (requests: number, windowMs: number) =>
        Math.floor((requests * 60_000) / windowMs);
      const client = limits.find((layer) => layer.scope === 'client' && layer.reported);
      const rules = context.config.rules;
      const entities =
        namespace === 'outbound'
          ? [
              { key: 'contact.list.max', namespace, value: rules.maxListsPerOrg },
              { key: 'contacts.per.contact.list.max', namespace, value: rules.maxContactsPerList },
              { key: 'contacts.per.org.max', namespace, value: rules.maxContactsPerOrg },
              { key: 'contact.list.columns.max', namespace, value: rules.maxColumns },
            ]
          : namespace === 'platform.api'
            ? [
                ...(client === undefined
                  ? []
                  : [
                      {
                        key: 'client.credentials.token.rate.per.minute',
                        namespace,
                        value: perMinute(client.requests, client.windowMs),
                      },
                    ]),
                { key: 'request.bytes.max', namespace, value: rules.maxRequestBytes },
              ]
            : undefined;
      if (entities === undefined) {
        throw new SandboxHttpError(
          404,
          'not.found',
          `Unknown limits namespace '${namespace}'. Namespaces use dots, e.g. ${LIMIT_NAMESPACES.join(', ')}.`,
        );
      }
      return { status: 200, body: { entities } };
    });
}
