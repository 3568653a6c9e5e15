// Configuration comes from the environment only, parsed once at the edge. Every option has a
// type, a default and a one-line doc; a bad value fails start-up with the variable's name.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));

/** Each entry: env name -> schema with default. Docs live in kvstore/README.md, one line each. */
const schema = z.object({
  /** TCP port of the HTTP API (0 = any free port). */
  KV_PORT: port.default(8080),
  /** Address the HTTP API binds to. */
  KV_HOST: z.string().min(1).default('0.0.0.0'),
  /** Directory of the LMDB environment (created if missing). */
  KV_DATA_DIR: z.string().min(1).default('data'),
  /** API token with full rights (admin). At least 16 characters. */
  KV_ADMIN_TOKEN: z.string().min(16).optional(),
  /** Name of the first admin user, created or updated at start. */
  KV_ADMIN_USER: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  /** Password of the first admin user. At least 12 characters. */
  KV_ADMIN_PASSWORD: z.string().min(12).max(1024).optional(),
  /** `closed` (default) or `open`: whether anyone may register a user account. */
  KV_REGISTRATION: z.enum(['closed', 'open']).default('closed'),
  /** Mark the session cookie Secure (needs HTTPS in front). Set false only for direct-HTTP development. */
  KV_COOKIE_SECURE: bool.default(true),
  /** Lifetime of a console session in seconds. */
  KV_SESSION_TTL_SECONDS: positiveInt.default(43_200),
  /** Largest accepted value in bytes (UTF-8); larger gets 413. */
  KV_MAX_VALUE_BYTES: positiveInt.default(1_048_576),
  /** Largest accepted import document in bytes. */
  KV_IMPORT_MAX_BYTES: positiveInt.default(33_554_432),
  /** Period of the active expiry sweep in milliseconds. */
  KV_SWEEP_INTERVAL_MS: positiveInt.default(1000),
  /** Expired entries removed per sweep step (one write transaction each). */
  KV_SWEEP_BATCH: positiveInt.max(10_000).default(200),
  /** Bound on graceful shutdown in milliseconds; open requests are cut after it. */
  KV_SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  /** Port of the opt-in profiling endpoint; unset = disabled. Requires KV_ADMIN_TOKEN. */
  KV_PROFILE_PORT: port.optional(),
  /** Address the profiling endpoint binds to. */
  KV_PROFILE_HOST: z.string().min(1).default('127.0.0.1'),
  /** Log one JSON line per request (probes and scrapes excepted). nginx logs requests too. */
  KV_ACCESS_LOG: bool.default(true),
  /** pino log level. */
  KV_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Language of API messages when the request has no Accept-Language: `en` or `zh-CN`. */
  KV_DEFAULT_LANG: z.enum(['en', 'zh-CN']).default('en'),
});

type Env = z.infer<typeof schema>;

export interface KvConfig {
  port: number;
  host: string;
  dataDir: string;
  adminToken: string | undefined;
  admin: { user: string; password: string } | undefined;
  registration: 'closed' | 'open';
  cookieSecure: boolean;
  sessionTtlSeconds: number;
  maxValueBytes: number;
  /** Body limit of key writes: the largest value plus room for the JSON envelope. */
  maxBodyBytes: number;
  importMaxBytes: number;
  sweepIntervalMs: number;
  sweepBatch: number;
  shutdownTimeoutMs: number;
  profile: { port: number; host: string } | undefined;
  logLevel: Env['KV_LOG_LEVEL'];
  accessLog: boolean;
  defaultLang: 'en' | 'zh-CN';
}

/** Room for `{"value": ..., "ttl": ...}` and escaping around the largest value. */
export const ENVELOPE_BYTES = 65_536;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `X_FILE` holds the path of a file whose content (trimmed) is the value of `X`. */
function resolveFileVariables(env: NodeJS.ProcessEnv, names: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const direct = env[name];
    const file = env[`${name}_FILE`];
    if (direct !== undefined && direct !== '' && file) {
      throw new ConfigError(`${name} and ${name}_FILE are both set; set only one`);
    }
    if (file) {
      try {
        out[name] = readFileSync(file, 'utf8').trim();
      } catch (error) {
        throw new ConfigError(`${name}_FILE: cannot read ${file}: ${(error as Error).message}`);
      }
    } else if (direct !== undefined && direct !== '') {
      out[name] = direct;
    }
  }
  return out;
}

/** Parses and validates the configuration; throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KvConfig {
  const secrets = resolveFileVariables(env, ['KV_ADMIN_TOKEN', 'KV_ADMIN_PASSWORD']);
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable means "not set", as docker compose passes `X=` for unset interpolations.
    if (value !== undefined && value !== '') raw[key] = value;
  }
  Object.assign(raw, secrets);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${messages.join('; ')}`);
  }
  const e = parsed.data;
  if ((e.KV_ADMIN_USER === undefined) !== (e.KV_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      'KV_ADMIN_USER and KV_ADMIN_PASSWORD (or KV_ADMIN_PASSWORD_FILE) must be set together',
    );
  }
  if (e.KV_PROFILE_PORT !== undefined && e.KV_ADMIN_TOKEN === undefined) {
    throw new ConfigError(
      'KV_PROFILE_PORT needs KV_ADMIN_TOKEN: profiles expose memory and must be protected',
    );
  }
  return {
    port: e.KV_PORT,
    host: e.KV_HOST,
    dataDir: e.KV_DATA_DIR,
    adminToken: e.KV_ADMIN_TOKEN,
    admin:
      e.KV_ADMIN_USER !== undefined && e.KV_ADMIN_PASSWORD !== undefined
        ? { user: e.KV_ADMIN_USER, password: e.KV_ADMIN_PASSWORD }
        : undefined,
    registration: e.KV_REGISTRATION,
    cookieSecure: e.KV_COOKIE_SECURE,
    sessionTtlSeconds: e.KV_SESSION_TTL_SECONDS,
    maxValueBytes: e.KV_MAX_VALUE_BYTES,
    maxBodyBytes: e.KV_MAX_VALUE_BYTES + ENVELOPE_BYTES,
    importMaxBytes: e.KV_IMPORT_MAX_BYTES,
    sweepIntervalMs: e.KV_SWEEP_INTERVAL_MS,
    sweepBatch: e.KV_SWEEP_BATCH,
    shutdownTimeoutMs: e.KV_SHUTDOWN_TIMEOUT_MS,
    profile:
      e.KV_PROFILE_PORT !== undefined ? { port: e.KV_PROFILE_PORT, host: e.KV_PROFILE_HOST } : undefined,
    logLevel: e.KV_LOG_LEVEL,
    accessLog: e.KV_ACCESS_LOG,
    defaultLang: e.KV_DEFAULT_LANG,
  };
}
