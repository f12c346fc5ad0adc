/**
 * Telegram notifications against a fake Bot API over real HTTP (grammY pointed at it), with the
 * NotificationSweep workflow on a real worker and the real database: a private chat links and
 * receives, a group or channel is refused at link, a chat swapped after linking is refused at
 * the next delivery, and a delivery cut off mid-send or rate limited still sends once.
 */
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { createNotificationActivities } from '../../activities/notifications';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { workerInterceptors } from '../../workers/interceptors';
import type { NotificationSweepResult } from '../../contracts/notifications';
import { createLinkCode, notifierStatus, saveTelegramBot, setMutedEvents } from '../../db/notifications';
import { createPool } from '../../db/client';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import { withTenant } from '../../db/tenant';
import { setKillSwitch } from '../../db/tenant-console';
import { executeWorkflow } from '../../runtime/workflow-client';
import { testClient, testEnv, testPool, testWorker, uniqueQueue } from '../support/env';
import { FakeTelegram, type FakeChat } from '../support/fake-telegram';
import { TEST_SECRETS_KEY, testKeys } from '../support/fake-kite';
import { maybeRecordHistory } from '../support/record-history';
import { runQs } from '../support/run-qs';
import { createTenant } from '../support/orders-env';

const pool = testPool('app');
const fake = new FakeTelegram();
const taskQueue = uniqueQueue('notify');
let client: Client;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  client = await testClient();
  await fake.start();
  await saveTelegramBot(pool, testKeys(), { token: fake.token, apiRoot: fake.apiRoot, username: 'qs_test_bot' });
  worker = await testWorker({ taskQueue, activities: createNotificationActivities({ pool, keys: testKeys }) });
  running = worker.run();
});

afterAll(async () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  await fake.stop();
  // The run shares its database: a scheduled sweep elsewhere must not find a bot that is gone.
  // (Its own pool: the shared ones may already be closed when this runs.)
  const own = createPool(testEnv().appUrl);
  await withTenant(own, PLATFORM_TENANT_ID, ({ client: c }) => c.query('DELETE FROM telegram_bot'));
  await own.end();
});

/** One NotificationSweep; `fixture` records its history for the replay tests (QS_RECORD_HISTORIES=1). */
async function sweep(fixture?: string): Promise<NotificationSweepResult> {
  const workflowId = `notification-sweep/test-${randomUUID()}`;
  const result = await executeWorkflow(client, 'notificationSweep', {
    taskQueue,
    workflowId,
    workflowExecutionTimeout: '2 minutes',
  });
  if (fixture) await maybeRecordHistory(client, workflowId, fixture);
  return result;
}

async function tenantWithUsers(n: number) {
  const { id } = await createTenant(pool, 'notify');
  const users: number[] = [];
  for (let i = 0; i < n; i++) {
    const { rows } = await withTenant(pool, id, ({ client: c }) =>
      c.query<{ id: number }>(
        "INSERT INTO users (tenant_id, email, password_hash, role) VALUES ($1, $2, 'x', 'trader') RETURNING id",
        [id, `u${i}@notify.test`],
      ),
    );
    users.push(rows[0]!.id);
  }
  return { tenantId: id, users };
}

const killSwitch = (tenantId: number, active: boolean, reason: string) =>
  withTenant(pool, tenantId, (tx) => setKillSwitch(tx, { scope: 'tenant', target: '*', active, reason, userId: null }));

async function auditOf(tenantId: number, type: string) {
  const { rows } = await withTenant(pool, tenantId, ({ client: c }) =>
    c.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM audit_log WHERE tenant_id = $1 AND event_type = $2 ORDER BY seq',
      [tenantId, type],
    ),
  );
  return rows.map((r) => r.payload);
}

async function notificationsOf(tenantId: number) {
  const { rows } = await withTenant(pool, tenantId, ({ client: c }) =>
    c.query<{ event_type: string; status: string; telegram_message_id: string | null; detail: string | null }>(
      'SELECT event_type, status, telegram_message_id, detail FROM notifications WHERE tenant_id = $1 ORDER BY id',
      [tenantId],
    ),
  );
  return rows;
}

const privateChat = (id: number): FakeChat => ({ id, type: 'private', first_name: `user${id}` });

/** Links `userId` to the private chat `chatId` through the bot, as a user would. */
async function link(tenantId: number, userId: number, chatId: number) {
  const code = await createLinkCode(pool, tenantId, userId);
  fake.userSends(privateChat(chatId), chatId, `/start ${code}`);
  await sweep();
  expect(fake.sentTo(chatId).at(-1)?.text).toMatch(/^Linked/);
}

describe('Telegram notifier', () => {
  it('links a private chat and delivers to it once; a group or channel code is refused and burnt', async () => {
    const { tenantId, users } = await tenantWithUsers(3);
    const [codePrivate, codeGroup, codeChannel] = [
      await createLinkCode(pool, tenantId, users[0]!),
      await createLinkCode(pool, tenantId, users[1]!),
      await createLinkCode(pool, tenantId, users[2]!),
    ];
    fake.userSends(privateChat(9001), 9001, `/start ${codePrivate}`);
    fake.userSends({ id: -1009002, type: 'supergroup', title: 'desk' }, 9002, codeGroup);
    fake.channelPost({ id: -1009003, type: 'channel', title: 'alerts' }, codeChannel);
    const first = await sweep('notification-sweep-link-private-group-channel');
    expect(first).toMatchObject({ configured: true, updates: 3, linked: 1, refused: 2 });
    expect(fake.sentTo(9001).map((m) => m.text)).toEqual([expect.stringMatching(/^Linked/)]);
    // Nothing is ever posted to a group or channel, not even the refusal.
    expect(fake.sentTo(-1009002)).toEqual([]);
    expect(fake.sentTo(-1009003)).toEqual([]);
    const refusals = await auditOf(tenantId, 'notify.link_refused');
    expect(refusals.map((r) => r.chatType).sort()).toEqual(['channel', 'supergroup']);

    // The code seen in the group was burnt: it does not link its reader's private chat either.
    fake.userSends(privateChat(9002), 9002, codeGroup);
    expect(await sweep()).toMatchObject({ linked: 0, ignored: 1 });
    expect(fake.sentTo(9002).map((m) => m.text)).toEqual([expect.stringMatching(/unknown, used or expired/)]);

    await killSwitch(tenantId, true, 'fat finger on BANKNIFTY');
    await sweep();
    const texts = fake.sentTo(9001).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe('⛔ Kill switch SET (tenant:*): fat finger on BANKNIFTY');
    expect(await notificationsOf(tenantId)).toEqual([
      { event_type: 'kill_switch.set', status: 'sent', telegram_message_id: expect.any(String), detail: null },
    ]);
    // Another sweep finds nothing new to send.
    await sweep();
    expect(fake.sentTo(9001)).toHaveLength(2);
  });

  it('keeps preferences: a muted event type is not sent, the others are; unmuting does not replay', async () => {
    const { tenantId, users } = await tenantWithUsers(1);
    await link(tenantId, users[0]!, 9401);
    expect(await setMutedEvents(pool, tenantId, users[0]!, { mute: ['kill_switch.set'] })).toEqual(['kill_switch.set']);
    await killSwitch(tenantId, true, 'muted one');
    await killSwitch(tenantId, false, 'heard one');
    await sweep();
    expect(
      fake
        .sentTo(9401)
        .slice(1)
        .map((m) => m.text),
    ).toEqual(['✅ Kill switch cleared (tenant:*): heard one']);
    expect(await setMutedEvents(pool, tenantId, users[0]!, { unmute: ['kill_switch.set'] })).toEqual([]);
    await sweep();
    expect(fake.sentTo(9401)).toHaveLength(2);
    expect((await auditOf(tenantId, 'notify.preferences_changed')).map((p) => p.muted)).toEqual([
      ['kill_switch.set'],
      [],
    ]);
  });

  it('refuses a delivery once the linked chat has been swapped for a group, and stops the link', async () => {
    const { tenantId, users } = await tenantWithUsers(1);
    await link(tenantId, users[0]!, 9101);
    // The chat id now answers as a group (a swapped or converted chat).
    fake.setChat({ id: 9101, type: 'group', title: 'not the user any more' });
    await killSwitch(tenantId, true, 'swap check');
    await sweep();
    expect(fake.sentTo(9101)).toHaveLength(1); // only the "Linked" reply from link time
    expect(await notificationsOf(tenantId)).toEqual([
      expect.objectContaining({ status: 'refused', detail: 'the linked chat is now a group chat' }),
    ]);
    const [refusal] = await auditOf(tenantId, 'notify.delivery_refused');
    expect(refusal).toMatchObject({ chatId: 9101, chatType: 'group', userId: users[0] });
    // The link is stopped: later events are not even queued for it.
    await killSwitch(tenantId, false, 'after the swap');
    await sweep();
    expect(await notificationsOf(tenantId)).toHaveLength(1);
    expect(fake.sentTo(9101)).toHaveLength(1);
  });

  it('a user who blocked the bot: the delivery fails for good (no retries), the link stays', async () => {
    const { tenantId, users } = await tenantWithUsers(1);
    await link(tenantId, users[0]!, 9151);
    fake.blockBot(9151);
    await killSwitch(tenantId, true, 'blocked');
    expect((await sweep()).outcomes).toMatchObject({ failed: 1 });
    expect(await notificationsOf(tenantId)).toEqual([
      expect.objectContaining({ status: 'failed', detail: 'the user blocked the bot' }),
    ]);
    expect(fake.calls.filter((c) => c.method === 'getChat' && Number(c.params.chat_id) === 9151)).toHaveLength(1);
    expect((await notifierStatus(pool, tenantId)).links).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('a delivery retried after a cut-off send is not sent again; a rate-limited one is sent once', async () => {
    const { tenantId, users } = await tenantWithUsers(1);
    await link(tenantId, users[0]!, 9201);
    fake.failNextSends('cut_after_send');
    await killSwitch(tenantId, true, 'cut off');
    const cut = await sweep('notification-sweep-cut-off-send-unconfirmed');
    expect(cut.outcomes).toMatchObject({ unconfirmed: 1 });
    // Telegram got it once; the retried activity found its own 'sending' row and did not resend.
    expect(fake.sentTo(9201).filter((m) => m.text.includes('cut off'))).toHaveLength(1);
    expect(await notificationsOf(tenantId)).toEqual([
      expect.objectContaining({ status: 'unconfirmed', detail: expect.stringMatching(/cut off mid-send/) }),
    ]);
    expect(await auditOf(tenantId, 'notify.unconfirmed')).toHaveLength(1);

    fake.failNextSends('rate_limited');
    await killSwitch(tenantId, false, 'rate limited');
    const limited = await sweep('notification-sweep-rate-limited-retry');
    expect(limited.outcomes).toMatchObject({ sent: 1 });
    const attempts = fake.calls.filter((c) => c.method === 'sendMessage' && String(c.params.text).includes('rate'));
    expect(attempts).toHaveLength(2); // the 429, then the send
    expect(fake.sentTo(9201).filter((m) => m.text.includes('rate limited'))).toHaveLength(1);
    expect((await notificationsOf(tenantId)).map((n) => n.status)).toEqual(['unconfirmed', 'sent']);
  });

  it('qs notify: setup checks the token, link-code names a bad user, status lists the link', async () => {
    const env = (extra: Record<string, string> = {}) => ({
      DATABASE_URL: testEnv().adminUrl,
      QS_APP_DATABASE_URL: testEnv().appUrl,
      QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
      QS_SECRETS_KEY: TEST_SECRETS_KEY,
      QS_TELEGRAM_BOT_TOKEN: fake.token,
      ...extra,
    });
    const refused = await runQs(
      ['notify', 'setup', '--api-root', fake.apiRoot],
      env({ QS_TELEGRAM_BOT_TOKEN: `9${fake.token}` }),
    );
    expect(refused).toMatchObject({ code: 2, stderr: 'qs: the Bot API refused the token: Unauthorized\n' });
    const setup = await runQs(['notify', 'setup', '--api-root', fake.apiRoot], env());
    expect(setup).toMatchObject({ code: 0, stdout: `bot @qs_test_bot configured (${fake.apiRoot})\n` });

    const { tenantId, users } = await tenantWithUsers(1);
    const slug = (await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId])).rows[0]!
      .slug;
    const nobody = await runQs(['notify', 'link-code', '--tenant', slug, '--email', 'nobody@notify.test'], env());
    expect(nobody).toMatchObject({ code: 2, stderr: `qs: --email: no user "nobody@notify.test" in ${slug}\n` });
    const issued = await runQs(['notify', 'link-code', '--tenant', slug, '--email', 'U0@notify.test', '--json'], env());
    expect(issued.code).toBe(0);
    const { code } = JSON.parse(issued.stdout) as { code: string };
    fake.userSends(privateChat(9301), 9301, `/start ${code}`);
    expect(await sweep()).toMatchObject({ linked: 1 });

    // A sweep as an operator runs it: on the trading queue, through the CLI (one workflow per minute).
    const trading = await testWorker({
      taskQueue: TASK_QUEUES.trading,
      activities: createNotificationActivities({ pool, keys: testKeys }),
      interceptors: workerInterceptors(),
    });
    await killSwitch(tenantId, true, 'from the CLI sweep');
    const cliSweep = await trading.runUntil(
      runQs(['notify', 'sweep', '--json'], {
        ...env(),
        TEMPORAL_ADDRESS: testEnv().temporalAddress,
        TEMPORAL_NAMESPACE: testEnv().namespace,
      }),
    );
    expect(cliSweep.code).toBe(0);
    expect(JSON.parse(cliSweep.stdout)).toMatchObject({ configured: true, outcomes: { sent: 1 } });
    expect(fake.sentTo(9301).at(-1)?.text).toBe('⛔ Kill switch SET (tenant:*): from the CLI sweep');
    expect((await register.metrics()).match(/^qs_notification_deliveries_total\{outcome="sent"\} (\d+)/m)?.[1]).toBe(
      '1',
    );

    const badEvent = await runQs(
      ['notify', 'preferences', '--tenant', slug, '--email', 'u0@notify.test', '--mute', 'trade.recorded,fills'],
      env(),
    );
    expect(badEvent.code).not.toBe(0);
    expect(badEvent.stderr).toMatch(/--mute: unknown event type "fills"/);
    const prefs = await runQs(
      ['notify', 'preferences', '--tenant', slug, '--email', 'u0@notify.test', '--mute', 'trade.recorded', '--json'],
      env(),
    );
    expect(JSON.parse(prefs.stdout).muted).toEqual(['trade.recorded']);

    const status = await runQs(['notify', 'status', '--tenant', slug, '--json'], env());
    expect(JSON.parse(status.stdout)).toMatchObject({
      links: [{ email: 'u0@notify.test', chatId: '9301', status: 'active', mutedEvents: ['trade.recorded'] }],
      notifications: [{ eventType: 'kill_switch.set', status: 'sent' }],
    });
    expect(users).toHaveLength(1);
  });
});
