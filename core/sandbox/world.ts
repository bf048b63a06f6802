import { ImportService } from './import-flow';
import { LayeredRateLimiter } from './limits/layered-limiter';
import { OrgStore } from './org-store';
import { createRandom, type Random } from './rng';
import { AuthService } from './auth';
import { buildConfig } from './scenarios';
import type {
  DeepPartial,
  RequestLogEntry,
  RetryAfterMode,
  ScriptedAnswer,
  SandboxConfig,
  SandboxCounters,
  ScenarioName,
} from './types';

/** Request-log entries kept (the oldest half is dropped past it), enough for any test or benchmark run. */
const MAX_LOG_ENTRIES = 200_000;

/**
 * The mutable state of one sandbox: config, org stores, tokens, limiters, RNG, log and counters.
 * `reset` rebuilds it all from a scenario (inspection API), keeping the server and its port.
 */
export class SandboxWorld {
  config!: SandboxConfig;
  stores = new Map<string, OrgStore>();
  limiters = new Map<string, LayeredRateLimiter>();
  auth!: AuthService;
  random!: Random;
  log: RequestLogEntry[] = [];
  counters!: SandboxCounters;
  /** Answers a test asked for (`inspect.scriptAnswers`), consumed in order by matching requests. */
  scripted: ScriptedAnswer[] = [];
  readonly imports: ImportService;

  constructor(
    scenario: ScenarioName,
    overrides: DeepPartial<SandboxConfig> | undefined,
    private readonly seed: number,
    readonly now: () => number = Date.now,
  ) {
    this.imports = new ImportService(() => this.config, now);
    this.reset(scenario, overrides);
  }

  /** Rebuilds every piece of state from a scenario and overrides (throws on a bad config). */
  reset(scenario: ScenarioName = 'demo', overrides?: DeepPartial<SandboxConfig>): void {
    const config = buildConfig(scenario, overrides);
    this.config = config;
    this.imports.clear();
    this.stores = new Map(config.orgs.map((org) => [org.id, new OrgStore(org, config.rules)]));
    this.limiters = new Map(
      config.orgs.map((org) => [
        org.id,
        new LayeredRateLimiter(
          org.limits ?? config.limits,
          limiterMode(config.retryAfterMode),
          config.retryAfterLongSeconds,
          config.secondMs,
        ),
      ]),
    );
    this.auth = new AuthService(config.orgs, config.tokenLifetimeSeconds);
    this.random = createRandom(this.seed);
    this.log = [];
    this.scripted = [];
    this.counters = {
      requests: 0,
      byStatus: {},
      rateLimitedByLayer: {},
      faults: {},
      contactsStored: 0,
      contactsReceived: 0,
      tokensIssued: 0,
    };
  }

  /** Appends to the request log and the counters. */
  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    // Drop the oldest half at once: amortised O(1), where trimming one entry per request is O(n).
    if (this.log.length > MAX_LOG_ENTRIES) this.log = this.log.slice(MAX_LOG_ENTRIES / 2);
    this.counters.requests += 1;
    const key = String(entry.status);
    this.counters.byStatus[key] = (this.counters.byStatus[key] ?? 0) + 1;
    if (entry.contactCount !== undefined && entry.status === 200) {
      this.counters.contactsReceived += entry.contactCount;
    }
  }

  /** The next scripted answer for a route, counted down; undefined when none is due. */
  takeScriptedAnswer(route: string): ScriptedAnswer | undefined {
    const index = this.scripted.findIndex((answer) => answer.route === route && answer.count > 0);
    if (index < 0) return undefined;
    const answer = this.scripted[index] as ScriptedAnswer;
    answer.count -= 1;
    if (answer.count === 0) this.scripted.splice(index, 1);
    return answer;
  }

  /** Counts an injected fault by kind. */
  countFault(kind: string): void {
    this.counters.faults[kind] = (this.counters.faults[kind] ?? 0) + 1;
  }

  /** Live counters (stored contacts and tokens are read from the stores, not tracked twice). */
  snapshotCounters(): SandboxCounters {
    let stored = 0;
    for (const store of this.stores.values()) stored += store.contactCount;
    return {
      ...this.counters,
      byStatus: { ...this.counters.byStatus },
      rateLimitedByLayer: { ...this.counters.rateLimitedByLayer },
      faults: { ...this.counters.faults },
      contactsStored: stored,
      tokensIssued: this.auth.issued,
    };
  }
}

/**
 * The wait the limiter computes: `message-only` and `missing` compute the honest wait (the
 * pipeline then leaves the header out, and for `missing` the message too).
 */
function limiterMode(mode: RetryAfterMode): RetryAfterMode {
  return mode === 'message-only' || mode === 'missing' ? 'honest' : mode;
}
