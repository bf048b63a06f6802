import { z } from 'zod';
import type { SandboxConfig } from './types';

const probability = z.number().min(0).max(1);
const positive = z.number().positive();
const nonNegativeInt = z.number().int().min(0);

const limitLayer = z.object({
  name: z.string().min(1),
  scope: z.enum(['token', 'user-client', 'user', 'client', 'org']),
  endpoint: z.string().optional(),
  requests: z.number().int().positive(),
  windowMs: positive,
  window: z.enum(['fixed', 'sliding', 'sliding-counter', 'token-bucket', 'concurrency']),
  reported: z.boolean(),
  burst: z.number().int().positive().optional(),
  background: z
    .object({
      ratePerSecond: z.number().min(0),
      amplitude: z.number().min(0).max(1),
      periodMs: positive,
      startAfterMs: z.number().min(0).optional(),
      durationMs: positive.optional(),
    })
    .optional(),
  changes: z
    .array(z.object({ afterMs: z.number().min(0), requests: z.number().int().positive() }))
    .optional(),
});

const seedList = z
  .object({
    name: z.string().min(1),
    columnNames: z.array(z.string()).min(1),
    contacts: z
      .array(z.object({ id: z.string().optional(), data: z.record(z.string(), z.string()) }))
      .optional(),
  })
  .loose();

const org = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  pkceClientId: z.string().min(1),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  lists: z.array(seedList),
  limits: z.array(limitLayer).optional(),
});

/**
 * The shape of a merged sandbox configuration, checked after overrides are applied so a bad
 * `--config` file is reported by path ("faults.status503: ...") instead of failing later.
 */
export const sandboxConfigSchema = z.object({
  orgs: z.array(org).min(1),
  limits: z.array(limitLayer),
  retryAfterMode: z.enum(['honest', 'short', 'missing', 'long', 'message-only']),
  retryAfterLongSeconds: positive.optional(),
  secondMs: positive.optional(),
  faults: z.object({
    status500: probability,
    status502: probability,
    status503: probability,
    status504: probability,
    connectionReset: probability,
    timeout: probability,
    commitThenDrop: probability,
    latency: z.object({
      minMs: z.number().min(0),
      maxMs: z.number().min(0),
      spikeProbability: probability,
      spikeMs: z.number().min(0),
    }),
    tokenExpiresAfterRequests: nonNegativeInt,
    endpoints: z.array(z.string()),
  }),
  rules: z.object({
    maxContactsPerRequest: z.number().int().positive(),
    maxRequestBytes: z.number().int().positive(),
    maxValueLength: z.number().int().positive(),
    maxColumns: z.number().int().positive(),
    maxColumnNameLength: z.number().int().positive(),
    maxContactsPerList: z.number().int().positive(),
    maxContactsPerOrg: z.number().int().positive(),
    maxListsPerOrg: z.number().int().positive(),
    maxPhoneColumns: z.number().int().positive(),
  }),
  tokenLifetimeSeconds: positive,
  importRowsPerSecond: positive,
  importStatusMinRows: nonNegativeInt,
  importFinishedState: z.enum(['omitted', 'IN_PROGRESS']),
  listSizeLagMs: z.number().min(0),
});

/** Throws `Sandbox config: <path>: <problem>` for the first problems found. */
export function assertValidConfig(config: unknown): asserts config is SandboxConfig {
  const result = sandboxConfigSchema.safeParse(config);
  if (result.success) return;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`Sandbox config: ${problems.join('; ')}`);
}
