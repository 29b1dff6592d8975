import { z } from 'zod';

// Every variable Refinery reads, with its default. The README's configuration table mirrors this list.
const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'expected development, production or test' })
    .default('production'),
  PORT: z.coerce
    .number({ message: 'expected a port number' })
    .int()
    .min(0)
    .max(65535, 'expected a port number 0-65535')
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  /** the committed SQL migrations; a relative path is taken from the folder Refinery is installed in */
  MIGRATIONS_DIR: z.string().min(1).default('db/migrations'),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce
    .number({ message: 'expected milliseconds' })
    .int()
    .min(100, 'expected at least 100 ms')
    .default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ message: 'expected milliseconds' })
    .int()
    .min(1000, 'expected at least 1000 ms')
    .default(30_000),
  SESSION_SECRET: z
    .string()
    .min(32, 'expected at least 32 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PUBLIC_URL: z
    .url({ message: 'expected an absolute http(s) URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DEMO_DATA: boolean.default(true),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAX_BODY_BYTES: z.coerce
    .number({ message: 'expected a number of bytes' })
    .int()
    .positive()
    .default(1_048_576),
  MAX_WS_MESSAGE_BYTES: z.coerce
    .number({ message: 'expected a number of bytes' })
    .int()
    .positive()
    .default(2_097_152),
  MAX_LIVE_DOCUMENT_BYTES: z.coerce
    .number({ message: 'expected a number of bytes' })
    .int()
    .min(65_536, 'expected at least 65536 bytes')
    .default(2_097_152),
  GUEST_JOINS_PER_MINUTE: z.coerce
    .number({ message: 'expected a whole number' })
    .int()
    .positive()
    .default(30),
  SIGNUPS_PER_HOUR: z.coerce.number({ message: 'expected a whole number' }).int().positive().default(20),
  TRUST_PROXY: boolean.default(false),
  /**
   * Keys that encrypt tracker tokens at rest (issue 16): comma-separated, each 32 random bytes in base64 (`openssl
   * rand -base64 32`). The first encrypts; all decrypt; secrets under an older key are re-encrypted at start.
   * Unset: one is generated into DATA_DIR (embedded database only).
   */
  TRACKER_SECRET_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9+/=_-]{43,44}(,[A-Za-z0-9+/=_-]{43,44})*$/,
      'expected comma-separated base64 32-byte keys',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Lets a tracker connection use http:// and private or loopback addresses (a Jira inside the company network, or
   * the tests' stand-in). Off: only https:// to public addresses, so a product owner cannot probe the server's network.
   */
  TRACKER_ALLOW_PRIVATE_URLS: boolean.default(false),
  /** how often a connected product asks its tracker for what changed (webhooks or not), in seconds */
  TRACKER_POLL_SECONDS: z.coerce.number({ message: 'expected a number of seconds' }).int().min(5).default(60),
  /**
   * Lets a webhook post to http:// and private or loopback addresses (a chat server inside the company network,
   * or the tests' receiver). Off: only https:// to public addresses (decision 0041).
   */
  WEBHOOK_ALLOW_PRIVATE_URLS: boolean.default(false),
  /** a failed webhook delivery's first retry, in seconds; the later ones scale with it (10 s, 30 s, 2 min, 10 min, 1 h) */
  WEBHOOK_RETRY_FIRST_SECONDS: z.coerce
    .number({ message: 'expected a number of seconds' })
    .min(0.001, 'expected more than 0 seconds')
    .max(3600)
    .default(10),
  /** attempts per webhook delivery before it is failed for good */
  WEBHOOK_MAX_ATTEMPTS: z.coerce
    .number({ message: 'expected a whole number' })
    .int()
    .min(1)
    .max(20)
    .default(6),
});

export type Config = z.infer<typeof schema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/** Parses the environment. On failure the message is one line naming the variable and what it expects. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, config: result.data };
  const issue = result.error.issues[0];
  const name = String(issue.path[0] ?? 'environment');
  const got = env[name];
  const shown =
    got === undefined
      ? 'unset'
      : name.includes('SECRET') || name.includes('URL') || name.includes('KEY')
        ? 'given value'
        : JSON.stringify(got);
  return { ok: false, message: `Invalid configuration: ${name} ${issue.message} (got ${shown})` };
}

export const configVariables = Object.keys(schema.shape);
