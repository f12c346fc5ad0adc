/**
 * Process configuration, read once from the environment and validated at boot.
 * A bad value stops the process with a message naming the variable (never a stack trace),
 * before anything has been started.
 */
import path from 'node:path';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const port = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((s, ctx) => {
      const n = Number(s);
      if (!/^\d+$/.test(s.trim()) || !Number.isInteger(n) || n < 1 || n > 65535) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a port number 1-65535, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

const postgresUrl = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s === '') return undefined;
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'is not a URL (expected postgres://user:password@host:port/database)',
      });
      return z.NEVER;
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must use the postgres:// scheme, got "${url.protocol}"` });
      return z.NEVER;
    }
    if (!url.hostname || url.pathname.length <= 1) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'must name a host and a database (postgres://user:password@host:port/database)',
      });
      return z.NEVER;
    }
    return s;
  });

const bool = (fallback: boolean) =>
  z
    .string()
    .default(String(fallback))
    .transform((s, ctx) => {
      const v = s.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be true or false, got "${s}"` });
      return z.NEVER;
    });

/**
 * QS_SECRETS_KEY: comma-separated 32-byte keys, base64 or hex. The first seals new secrets;
 * the others (retired keys) only open old ciphertexts until `qs secrets rotate` re-seals them.
 */
export function parseSecretsKeys(value: string): Buffer[] {
  const keys = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => {
      const key = /^[0-9a-f]{64}$/i.test(s)
        ? Buffer.from(s, 'hex')
        : /^[A-Za-z0-9+/_-]{43}=?$/.test(s)
          ? Buffer.from(s, 'base64')
          : undefined;
      if (!key || key.length !== 32)
        throw new Error(`key ${i + 1} must be 32 bytes as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`)`);
      return key;
    });
  if (keys.length === 0) throw new Error('names no key');
  return keys;
}

const secretsKeys = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s === '') return [];
    try {
      return parseSecretsKeys(s);
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
      return z.NEVER;
    }
  });

const schema = z.object({
  QS_API_PORT: port(3000),
  QS_API_HOST: z.string().default('127.0.0.1'),
  QS_TEMPORAL_PORT: port(7233),
  QS_TEMPORAL_UI_PORT: port(8233),
  // The Temporal Web UI's base URL, for links to workflows (an external Temporal's UI is not guessable).
  QS_TEMPORAL_UI_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must be an http(s) URL, e.g. https://temporal.example/ui')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  QS_PG_PORT: port(54329),
  QS_DATA_DIR: z.string().default('.data'),
  QS_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  QS_WORKFLOW_BUNDLE: z.string().optional(),
  QS_LIVE_TRADING: bool(false),
  DATABASE_URL: postgresUrl,
  QS_APP_DATABASE_URL: postgresUrl,
  QS_APP_DB_PASSWORD: z.string().min(1).default('qs_app_local'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{2,}$/, 'must be a namespace name')
    .default('quantsentinel'),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_CLI: z.string().optional(),
  // A worker's /healthz + /metrics port (containers); unset: none (the local stack runs four workers).
  QS_WORKER_METRICS_PORT: z.string().optional().pipe(port(1).optional()),
  QS_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  QS_SECRETS_KEY: secretsKeys,
});

export interface Config {
  api: { host: string; port: number };
  temporal: {
    /** host:port of the frontend; undefined means "start the local dev server". */
    address: string;
    external: boolean;
    namespace: string;
    devServerPort: number;
    uiPort: number;
    /** QS_TEMPORAL_UI_URL, without a trailing slash; else the dev server's UI (none with an external Temporal). */
    uiUrl?: string;
    tls?: { certPath: string; keyPath: string };
    apiKey?: string;
    cliPath?: string;
  };
  db: {
    /** Owner/migration connection (qs_admin). undefined → embedded Postgres. */
    adminUrl?: string;
    /** Runtime connection (qs_app, subject to RLS). */
    appUrl?: string;
    appPassword: string;
    embeddedPort: number;
  };
  dataDir: string;
  logLevel: string;
  workflowBundle?: string;
  liveTrading: boolean;
  /** QS_WORKER_METRICS_PORT: a worker's /healthz and /metrics; undefined → no endpoint. */
  workerMetricsPort?: number;
  /** HMAC key for qs_session tokens; the stack generates one per data dir when unset. */
  sessionSecret?: string;
  /** AES-256 keys for broker secrets at rest (QS_SECRETS_KEY): first seals, all open. Empty = unset. */
  secretsKeys: Buffer[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // An empty variable means "not set" (VAR= in a shell, or a blank line in an env file).
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if ((e.TEMPORAL_TLS_CERT === undefined) !== (e.TEMPORAL_TLS_KEY === undefined)) {
    throw new ConfigError(['TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together']);
  }
  const external = e.TEMPORAL_ADDRESS !== undefined;
  return {
    api: { host: e.QS_API_HOST, port: e.QS_API_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.QS_TEMPORAL_PORT}`,
      external,
      namespace: e.TEMPORAL_NAMESPACE,
      devServerPort: e.QS_TEMPORAL_PORT,
      uiPort: e.QS_TEMPORAL_UI_PORT,
      uiUrl: e.QS_TEMPORAL_UI_URL ?? (external ? undefined : `http://127.0.0.1:${e.QS_TEMPORAL_UI_PORT}`),
      tls: e.TEMPORAL_TLS_CERT ? { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY! } : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      cliPath: e.TEMPORAL_CLI,
    },
    workerMetricsPort: e.QS_WORKER_METRICS_PORT,
    db: {
      adminUrl: e.DATABASE_URL,
      appUrl: e.QS_APP_DATABASE_URL,
      appPassword: e.QS_APP_DB_PASSWORD,
      embeddedPort: e.QS_PG_PORT,
    },
    dataDir: path.resolve(cwd, e.QS_DATA_DIR),
    logLevel: e.QS_LOG_LEVEL,
    workflowBundle: e.QS_WORKFLOW_BUNDLE,
    liveTrading: e.QS_LIVE_TRADING,
    sessionSecret: e.QS_SESSION_SECRET,
    secretsKeys: e.QS_SECRETS_KEY,
  };
}
