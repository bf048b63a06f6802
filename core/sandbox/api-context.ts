import type { TokenGrant } from './auth';
import type { RouteContext } from './http-kit';
import type { OrgStore } from './org-store';
import type { Router } from './router';
import type { SandboxConfig } from './types';

/** What an authenticated `/api/v2` handler sees: the caller's org store and grant. */
export interface ApiContext extends RouteContext {
  store: OrgStore;
  grant: TokenGrant;
  config: SandboxConfig;
  nowMs: number;
}

/** The router type every `/api/v2` route module registers on. */
export type ApiRouter = Router<ApiContext>;
