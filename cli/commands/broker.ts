/**
 * `qs broker queue set|clear|show`: a tenant's own broker task queue (its broker calls run only on
 * the worker at its registered static IP: `qs worker broker --tenants <slug>` on that machine).
 * `qs broker kite …`: a tenant's Kite Connect account and its daily login.
 *   setup      API key, secret (QS_KITE_API_SECRET or a prompt; sealed at rest), algo id, protection
 *   login-url  the URL the account holder opens; Kite redirects with a request_token
 *   session    exchanges the request token for the day's access token (sealed at rest)
 *   status     whether the session can trade now, and until when (the pre-open check's verdict)
 */
import type { Command } from 'commander';
import { BrokerAuthError, BrokerUnavailableError } from '../../broker/errors';
import { checkMarketProtection } from '../../broker/kite/kite-broker';
import { createTenantSession, KITE_API_ROOT, tenantLoginUrl } from '../../broker/kite/session';
import { brokerSessionVerdict, istClock, kiteAccountRow, saveKiteAccount } from '../../db/broker-credentials';
import { BrokerQueueError, dedicatedBrokerQueue, setDedicatedBrokerQueue } from '../../db/broker-queue';
import { TASK_QUEUES, tenantBrokerQueue } from '../../contracts/task-queues';
import { staticKeyProvider, type KeyProvider } from '../../db/secret-box';
import { withTenant } from '../../db/tenant';
import type { Config } from '../../runtime/config';
import { tenantFlag, withAppPool } from '../context';
import { parseDecimal, parseInteger } from '../flags';
import { print } from '../output';
import { readPassword } from '../prompt';
import { UsageError } from '../usage-error';

export function secretsKeys(config: Config): KeyProvider {
  if (config.secretsKeys.length === 0)
    throw new UsageError('QS_SECRETS_KEY is not set: broker secrets are sealed with it (openssl rand -base64 32)');
  return staticKeyProvider(config.secretsKeys);
}

const url = (flag: string) => (raw: string) => {
  try {
    const u = new URL(raw);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.toString().replace(/\/$/, '');
  } catch {
    // named below
  }
  throw new UsageError(`${flag}: expected an http(s) URL, got ${JSON.stringify(raw)}`);
};

const token = (flag: string) => (raw: string) => {
  if (/^[A-Za-z0-9_-]{1,128}$/.test(raw)) return raw;
  throw new UsageError(`${flag}: expected letters, digits, _ or -, got ${JSON.stringify(raw)}`);
};

const protection = (raw: string) => {
  const p = raw.trim() === '-1' ? -1 : parseDecimal('--market-protection', { min: 0, max: 100 })(raw);
  try {
    return checkMarketProtection(p);
  } catch (e) {
    throw new UsageError(`--market-protection: ${(e as Error).message}`);
  }
};

async function apiSecret(): Promise<string> {
  const fromEnv = process.env.QS_KITE_API_SECRET;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY)
    throw new UsageError('API secret: no terminal to prompt on; set QS_KITE_API_SECRET for this command');
  return readPassword('Kite API secret: ');
}

/** Broker failures a user can act on (and a refused queue or tenant list) are one line, exit 2. */
export async function asBrokerUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BrokerAuthError || e instanceof BrokerUnavailableError || e instanceof BrokerQueueError)
      throw new UsageError(e.message);
    throw e;
  }
}

function registerQueue(broker: Command): void {
  const queue = broker.command('queue').description("a tenant's own broker task queue (its static IP's worker)");
  const show = (json: boolean, slug: string, dedicated: string | null) =>
    print(json, { tenant: slug, taskQueue: dedicated ?? TASK_QUEUES.broker, dedicated: dedicated !== null }, () =>
      dedicated
        ? `${slug}: broker calls on ${dedicated} (serve it with: qs worker broker --tenants ${slug})`
        : `${slug}: broker calls on the shared ${TASK_QUEUES.broker} queue`,
    );
  queue
    .command('set')
    .description('give the tenant its own broker queue (default broker.<slug>); set it while no order is in flight')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--queue <name>', 'broker.<name> (default broker.<slug>)')
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; queue?: string; json?: boolean }) =>
      withAppPool(async (pool) => {
        const t = await tenantFlag(pool, opts.tenant);
        const name = opts.queue ?? tenantBrokerQueue(t.slug);
        await asBrokerUsage(() => withTenant(pool, t.id, (tx) => setDedicatedBrokerQueue(tx, name)));
        show(!!opts.json, t.slug, name);
      }),
    );
  queue
    .command('clear')
    .description('back to the shared broker queue')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAppPool(async (pool) => {
        const t = await tenantFlag(pool, opts.tenant);
        await withTenant(pool, t.id, (tx) => setDedicatedBrokerQueue(tx, null));
        show(!!opts.json, t.slug, null);
      }),
    );
  queue
    .command('show')
    .description("the queue the tenant's broker calls run on")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAppPool(async (pool) => {
        const t = await tenantFlag(pool, opts.tenant);
        show(!!opts.json, t.slug, await withTenant(pool, t.id, dedicatedBrokerQueue));
      }),
    );
}

export function register(program: Command): void {
  const broker = program.command('broker').description("a tenant's broker account and queue");
  registerQueue(broker);
  const kite = broker.command('kite');
  kite.description('Kite Connect: account setup and the daily login');

  kite
    .command('setup')
    .description('create or update the Kite account (secret from QS_KITE_API_SECRET or a prompt)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--api-key <key>', 'the Kite Connect app key', token('--api-key'))
    .option('--base-url <url>', `API root (default ${KITE_API_ROOT})`, url('--base-url'))
    .option('--login-url <url>', 'login page (default Kite Connect login)', url('--login-url'))
    .option('--algo-id <id>', "the exchange's algo id for a registered strategy", token('--algo-id'))
    .option('--market-protection <p>', '-1 (automatic) or a percentage 0 < p <= 100 (default -1)', protection)
    .option('--timeout-ms <n>', 'per request (default 7000)', parseInteger('--timeout-ms', { min: 100, max: 60_000 }))
    .option('--keep-secret', 'leave the stored API secret as it is')
    .option('--json', 'machine-readable output')
    .action(
      (opts: {
        tenant: string;
        apiKey: string;
        baseUrl?: string;
        loginUrl?: string;
        algoId?: string;
        marketProtection?: number;
        timeoutMs?: number;
        keepSecret?: boolean;
        json?: boolean;
      }) =>
        withAppPool(async (pool, config) => {
          const keys = secretsKeys(config);
          const t = await tenantFlag(pool, opts.tenant);
          const secret = opts.keepSecret ? undefined : await apiSecret();
          const settings = {
            apiKey: opts.apiKey,
            baseUrl: opts.baseUrl ?? KITE_API_ROOT,
            ...(opts.loginUrl ? { loginUrl: opts.loginUrl } : {}),
            ...(opts.algoId ? { algoId: opts.algoId } : {}),
            ...(opts.marketProtection !== undefined ? { marketProtection: opts.marketProtection } : {}),
            ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
          };
          await withTenant(pool, t.id, (tx) => saveKiteAccount(tx, keys, settings, secret));
          print(
            !!opts.json,
            { tenant: t.slug, broker: 'kite', settings },
            () => `${t.slug}: Kite account saved (secret sealed); next: qs broker kite login-url --tenant ${t.slug}`,
          );
        }),
    );

  kite
    .command('login-url')
    .description('the URL to log in at; Kite redirects to your app with ?request_token=…')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAppPool(async (pool) => {
        const t = await tenantFlag(pool, opts.tenant);
        const loginUrl = await asBrokerUsage(() => tenantLoginUrl(pool, t.id));
        print(!!opts.json, { tenant: t.slug, loginUrl }, () => loginUrl);
      }),
    );

  kite
    .command('session')
    .description("exchange a request token for the day's access token (expires 06:00 IST)")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--request-token <t>', 'from the redirect after login', token('--request-token'))
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; requestToken: string; json?: boolean }) =>
      withAppPool(async (pool, config) => {
        const keys = secretsKeys(config);
        const t = await tenantFlag(pool, opts.tenant);
        const s = await asBrokerUsage(() => createTenantSession(pool, keys, t.id, opts.requestToken));
        print(
          !!opts.json,
          { tenant: t.slug, userId: s.userId, issuedAt: s.issuedAt, expiresAt: s.expiresAt },
          () => `${t.slug}: Kite session for ${s.userId ?? '?'} active until ${istClock(s.expiresAt)}`,
        );
      }),
    );

  kite
    .command('status')
    .description('whether the Kite session can trade now (exit 1 when it cannot)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAppPool(async (pool) => {
        const t = await tenantFlag(pool, opts.tenant);
        const row = await withTenant(pool, t.id, kiteAccountRow);
        if (!row) throw new UsageError(`${t.slug} has no Kite account (qs broker kite setup)`);
        const v = await brokerSessionVerdict(pool, t.id);
        const { apiKey, userId, algoId, marketProtection } = row.settings;
        print(
          !!opts.json,
          {
            tenant: t.slug,
            live: v.live,
            reason: v.reason,
            expiresAt: v.expiresAt,
            sessionStatus: row.sessionStatus,
            apiKey,
            userId: userId ?? null,
            algoId: algoId ?? null,
            marketProtection: marketProtection ?? -1,
          },
          () =>
            v.live
              ? `${t.slug}: Kite session live for ${userId ?? '?'} until ${istClock(v.expiresAt!)}`
              : `${t.slug}: live trading refused: ${v.reason}`,
        );
        if (!v.live) process.exitCode = 1;
      }),
    );
}
