/**
 * Secrets never reach the log (README "Logs"): every value handed to the logger passes through
 * `scrubSecrets` first, so redaction holds by construction rather than by each call site
 * remembering it. Two nets: keys whose name says "secret" lose their value whatever it is, and
 * strings that look like a credential (a bearer/basic header, a JWT, `access_token=…` in a URL
 * or a form body) are masked wherever they appear, inside messages and error stacks too.
 */

/** What replaces a secret in the log. */
export const REDACTED = '[redacted]';

/** Keys whose value is a credential whatever it looks like (compared without case, `-` or `_`). */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'proxyauthorization',
    'cookie',
    'setcookie',
    'clientsecret',
    'secret',
    'password',
    'passphrase',
    'accesstoken',
    'refreshtoken',
    'idtoken',
    'token',
    'codeverifier',
    'apikey',
  ].map(normaliseKey),
);

/**
 * Credential-looking text: `Bearer …`/`Basic …` header values, JWTs (three base64url parts, the
 * first starting `eyJ`), and `name=value` pairs of OAuth fields in query strings or form bodies.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /\b(access_token|refresh_token|id_token|client_secret|code_verifier|code|token|password)=[^&\s"']+/gi,
];

/**
 * pino `redact` paths: a second, declarative net for the shapes the app logs most (HTTP request
 * and response headers, token responses), so they are censored even if a caller bypasses the
 * scrubbing hook.
 */
export const REDACT_PATHS: readonly string[] = [
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'config.headers.Authorization',
  'config.headers.authorization',
  '*.clientSecret',
  '*.accessToken',
  '*.access_token',
  '*.refresh_token',
];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** True when a property with this name holds a credential. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normaliseKey(key));
}

/** The text with every credential-looking part masked. */
export function scrubText(text: string): string {
  let scrubbed = text;
  for (const pattern of SECRET_PATTERNS) {
    scrubbed = scrubbed.replace(pattern, (match, name: string | undefined) => {
      if (name && match.startsWith(`${name}=`)) return `${name}=${REDACTED}`;
      if (name && /^(bearer|basic)$/i.test(name)) return `${name} ${REDACTED}`;
      return REDACTED;
    });
  }
  return scrubbed;
}

/**
 * A copy of `value` safe to log: secret keys masked, strings scrubbed, errors turned into plain
 * `{type, message, stack, …}` objects (scrubbed too), cycles and depth bounded.
 */
export function scrubSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) return scrubError(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => scrubSecrets(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      isSecretKey(key) && item !== undefined ? REDACTED : scrubSecrets(item, depth + 1, seen);
  }
  return copy;
}

function scrubError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const plain: Record<string, unknown> = { type: error.name, message: scrubText(error.message) };
  if (error.stack) plain.stack = scrubText(error.stack);
  // Own enumerable fields (code, status, correlationId…) but never an HTTP client's config or
  // request objects, which carry the Authorization header.
  for (const [key, item] of Object.entries(error)) {
    if (key === 'config' || key === 'request' || key === 'response') continue;
    plain[key] = isSecretKey(key) ? REDACTED : scrubSecrets(item, depth + 1, seen);
  }
  if (error.cause !== undefined) plain.cause = scrubSecrets(error.cause, depth + 1, seen);
  return plain;
}
