/**
 * `qs notify setup|link-code|sweep|status`: Telegram notifications. The platform's bot token
 * comes from QS_TELEGRAM_BOT_TOKEN (never a flag: shell history) and is sealed with
 * QS_SECRETS_KEY; a tenant user links a private chat by sending a one-time code to the bot; a
 * NotificationSweep workflow links, queues and delivers (`sweep`, or a schedule).
 */
import { Command } from 'commander';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { GrammyError, HttpError } from 'grammy';
import { botApi } from '../../activities/notifications';
import { notificationSweepId } from '../../contracts/notifications';
import { TASK_QUEUES } from '../../contracts/task-queues';
import {
  createLinkCode,
  LINK_CODE_TTL_MINUTES,
  notifierStatus,
  saveTelegramBot,
  telegramBot,
  tenantUserId,
  setMutedEvents,
} from '../../db/notifications';
import { isNotifiedEvent, NOTIFIED_EVENTS } from '../../activities/notification-messages';
import { executeWorkflow, workflowHandle } from '../../runtime/workflow-client';
import { cliConfig, tenantFlag, withAppPool, withTemporal } from '../context';
import { print } from '../output';
import { UsageError } from '../usage-error';
import { staticKeyProvider, type KeyProvider } from '../../db/secret-box';

function secretsKeys(): KeyProvider {
  const keys = cliConfig().secretsKeys;
  if (keys.length === 0)
    throw new UsageError('QS_SECRETS_KEY is not set: the bot token is sealed with it (openssl rand -base64 32)');
  return staticKeyProvider(keys);
}

const DEFAULT_API_ROOT = 'https://api.telegram.org';

function apiRoot(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.toString().replace(/\/$/, '');
  } catch {
    // named below
  }
  throw new UsageError(`--api-root: expected an http(s) URL, got ${JSON.stringify(raw)}`);
}

function botToken(env: NodeJS.ProcessEnv): string {
  const raw = env.QS_TELEGRAM_BOT_TOKEN?.trim();
  if (!raw) throw new UsageError('QS_TELEGRAM_BOT_TOKEN is not set: the token @BotFather gave the bot');
  if (!/^\d{5,15}:[A-Za-z0-9_-]{30,64}$/.test(raw))
    throw new UsageError('QS_TELEGRAM_BOT_TOKEN: expected <bot id>:<secret> as @BotFather prints it');
  return raw;
}

export function register(program: Command): void {
  const notify = program.command('notify').description('Telegram notifications: the bot, chat links, deliveries');

  notify
    .command('setup')
    .description('store the bot token (QS_TELEGRAM_BOT_TOKEN, sealed with QS_SECRETS_KEY) after checking it')
    .option('--api-root <url>', 'Bot API root (a local Bot API server or a test double)', DEFAULT_API_ROOT)
    .option('--json', 'machine-readable output')
    .action(async (opts: { apiRoot: string; json?: boolean }) => {
      const token = botToken(process.env);
      const root = apiRoot(opts.apiRoot);
      const keys = secretsKeys();
      const me = await botApi({ token, apiRoot: root })
        .getMe()
        .catch((e: unknown) => {
          if (e instanceof GrammyError) throw new UsageError(`the Bot API refused the token: ${e.description}`);
          if (e instanceof HttpError) throw new UsageError(`cannot reach the Bot API at ${root}: ${e.message}`);
          throw e;
        });
      await withAppPool((pool) => saveTelegramBot(pool, keys, { token, apiRoot: root, username: me.username }));
      print(!!opts.json, { username: me.username, apiRoot: root }, () => `bot @${me.username} configured (${root})`);
    });

  notify
    .command('link-code')
    .description(`a one-time code (${LINK_CODE_TTL_MINUTES} min) a user sends the bot from a private chat`)
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--email <email>', "the user's email")
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; email: string; json?: boolean }) => {
      const out = await withAppPool(async (pool) => {
        const tenant = await tenantFlag(pool, opts.tenant);
        const userId = await tenantUserId(pool, tenant.id, opts.email);
        if (userId === undefined)
          throw new UsageError(`--email: no user ${JSON.stringify(opts.email)} in ${tenant.slug}`);
        const keys = secretsKeys();
        const bot = await telegramBot(pool, keys);
        if (!bot) throw new UsageError('no Telegram bot is configured: run `qs notify setup` first');
        return { code: await createLinkCode(pool, tenant.id, userId), bot: bot.username };
      });
      print(
        !!opts.json,
        { ...out, expiresInMinutes: LINK_CODE_TTL_MINUTES },
        () =>
          `send this to @${out.bot ?? 'the bot'} in a private chat within ${LINK_CODE_TTL_MINUTES} minutes:\n` +
          `/start ${out.code}`,
      );
    });

  notify
    .command('preferences')
    .description("a user's notification preferences: the event types they do not want to hear about")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--email <email>', "the user's email")
    .option('--mute <events>', 'event types to mute, comma-separated', eventList('--mute'))
    .option('--unmute <events>', 'event types to hear again, comma-separated', eventList('--unmute'))
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; email: string; mute?: string[]; unmute?: string[]; json?: boolean }) => {
      const muted = await withAppPool(async (pool) => {
        const tenant = await tenantFlag(pool, opts.tenant);
        const userId = await tenantUserId(pool, tenant.id, opts.email);
        if (userId === undefined)
          throw new UsageError(`--email: no user ${JSON.stringify(opts.email)} in ${tenant.slug}`);
        const now = await setMutedEvents(pool, tenant.id, userId, { mute: opts.mute, unmute: opts.unmute });
        if (!now) throw new UsageError(`${opts.email} has no linked chat in ${tenant.slug}: qs notify link-code first`);
        return now;
      });
      print(!!opts.json, { muted, events: NOTIFIED_EVENTS }, () =>
        NOTIFIED_EVENTS.map((e) => `  ${muted.includes(e) ? 'muted' : 'on   '}  ${e}`).join('\n'),
      );
    });

  notify
    .command('sweep')
    .description('link new chats, queue new events and deliver them now (a NotificationSweep workflow)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const result = await withTemporal(async (client) => {
        const workflowId = notificationSweepId(new Date());
        try {
          return await executeWorkflow(client, 'notificationSweep', {
            taskQueue: TASK_QUEUES.trading,
            workflowId,
            workflowExecutionTimeout: '10 minutes',
          });
        } catch (e) {
          // This minute's sweep is running already: its result is this sweep's.
          if (e instanceof WorkflowExecutionAlreadyStartedError)
            return workflowHandle(client, 'notificationSweep', workflowId).result();
          throw e;
        }
      });
      print(!!opts.json, result, () =>
        result.configured
          ? `updates ${result.updates} (linked ${result.linked}, refused ${result.refused}), ` +
            `deliveries ${result.queued}: ${JSON.stringify(result.outcomes)}`
          : 'no Telegram bot is configured (qs notify setup)',
      );
    });

  notify
    .command('status')
    .description("a tenant's linked chats and its latest notifications")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const status = await withAppPool(async (pool) => notifierStatus(pool, (await tenantFlag(pool, opts.tenant)).id));
      print(!!opts.json, status, () =>
        [
          `links: ${status.links.length === 0 ? 'none' : ''}`,
          ...status.links.map(
            (l) =>
              `  ${l.email} chat ${l.chatId} ${l.status}${l.statusReason ? ` (${l.statusReason})` : ''}` +
              `${l.mutedEvents?.length ? `, muted: ${l.mutedEvents.join(', ')}` : ''}`,
          ),
          'latest notifications:',
          ...status.notifications.map(
            (n) => `  #${n.id} ${n.eventType} ${n.status}${n.detail ? ` (${n.detail})` : ''}`,
          ),
        ].join('\n'),
      );
    });
}

/** A comma-separated list of event types the notifier knows, or a usage error naming the unknown one. */
function eventList(flag: string) {
  return (value: string): string[] => {
    const events = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const unknown = events.find((e) => !isNotifiedEvent(e));
    if (events.length === 0 || unknown !== undefined)
      throw new UsageError(
        `${flag}: ${unknown === undefined ? 'no event type given' : `unknown event type ${JSON.stringify(unknown)}`}` +
          ` (one of ${NOTIFIED_EVENTS.join(', ')})`,
      );
    return events;
  };
}
