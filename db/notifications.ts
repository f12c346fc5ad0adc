/**
 * Telegram notifications: the platform bot (token sealed with QS_SECRETS_KEY), one-time link
 * codes, private-chat links and the notifications table. The audit log is the outbox: each
 * active link turns the audit events past its cursor into notification rows keyed by
 * (link, audit seq), so a retried queueing writes each once. A delivery writes 'sending' before
 * the Bot API call and 'sent' after it (see activities/notifications.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { auditIn } from './audit';
import { publishApiEvent } from './api-events';
import { open, seal, type KeyProvider } from './secret-box';
import { PLATFORM_TENANT_ID } from './schema/tenants';
import { withTenant, type TenantTx } from './tenant';

const TOKEN_AAD = `telegram_bot:${PLATFORM_TENANT_ID}:token`;

export interface TelegramBot {
  token: string;
  apiRoot: string;
  username: string | null;
  updateOffset: number;
}

export async function saveTelegramBot(
  pool: Pool,
  keys: KeyProvider,
  bot: { token: string; apiRoot: string; username: string | null },
): Promise<void> {
  const sealed = seal(keys, bot.token, TOKEN_AAD);
  await withTenant(pool, PLATFORM_TENANT_ID, async ({ client }) => {
    await client.query(
      `INSERT INTO telegram_bot (tenant_id, token_sealed, api_root, bot_username) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET token_sealed = EXCLUDED.token_sealed, api_root = EXCLUDED.api_root,
         bot_username = EXCLUDED.bot_username, updated_at = now()`,
      [PLATFORM_TENANT_ID, sealed, bot.apiRoot, bot.username],
    );
    await auditIn(client, PLATFORM_TENANT_ID, null, 'notify.bot_configured', {
      apiRoot: bot.apiRoot,
      username: bot.username,
    });
  });
}

/** The configured bot with its token opened; undefined when none is configured. */
export async function telegramBot(pool: Pool, keys: KeyProvider): Promise<TelegramBot | undefined> {
  const row = await withTenant(pool, PLATFORM_TENANT_ID, async ({ client }) => {
    const { rows } = await client.query<{ token_sealed: string; api_root: string; bot_username: string | null }>(
      'SELECT token_sealed, api_root, bot_username, update_offset FROM telegram_bot WHERE tenant_id = $1',
      [PLATFORM_TENANT_ID],
    );
    return rows[0] as (typeof rows)[0] & { update_offset: string };
  });
  if (!row) return undefined;
  return {
    token: open(keys, row.token_sealed, TOKEN_AAD),
    apiRoot: row.api_root,
    username: row.bot_username,
    updateOffset: Number(row.update_offset),
  };
}

/** Only moves forward: two overlapping polls never hand an update back. */
export async function advanceUpdateOffset(pool: Pool, offset: number): Promise<void> {
  await withTenant(pool, PLATFORM_TENANT_ID, ({ client }) =>
    client.query('UPDATE telegram_bot SET update_offset = greatest(update_offset, $2) WHERE tenant_id = $1', [
      PLATFORM_TENANT_ID,
      offset,
    ]),
  );
}

// ---------- link codes ----------

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const LINK_CODE_TTL_MINUTES = 15;
const digest = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

/** `QS-<tenant id>-<10 characters>`: the tenant id lets the bot read the code under that tenant. */
export function parseLinkCode(text: string): { code: string; tenantId: number } | undefined {
  const m = /^(?:\/start(?:@\w+)?\s+)?(QS-(\d{1,9})-[A-Z2-9]{10})$/i.exec(text.trim());
  return m ? { code: m[1]!.toUpperCase(), tenantId: Number(m[2]) } : undefined;
}

export async function createLinkCode(pool: Pool, tenantId: number, userId: number): Promise<string> {
  const bytes = randomBytes(10);
  const code = `QS-${tenantId}-${[...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')}`;
  await withTenant(pool, tenantId, async ({ client }) => {
    await client.query(
      `INSERT INTO telegram_link_codes (tenant_id, digest, user_id, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4))`,
      [tenantId, digest(code), userId, LINK_CODE_TTL_MINUTES],
    );
    await auditIn(client, tenantId, null, 'notify.link_code_issued', { userId });
  });
  return code;
}

export type LinkAttempt =
  | { accept: true; chatId: number; telegramUserId: number }
  | { accept: false; chatId: number; chatType: string; reason: string };

export type LinkResult = { result: 'linked' | 'refused'; userId: number } | { result: 'invalid_code' };

/**
 * Uses a code once, whatever the verdict: a code shown in a group is burnt, so nobody who saw
 * it there can link their own chat with it. A link replaces the user's previous one.
 */
export async function redeemLinkCode(pool: Pool, tenantId: number, code: string, attempt: LinkAttempt) {
  return withTenant(pool, tenantId, async (tx): Promise<LinkResult> => {
    const { client } = tx;
    const { rows } = await client.query<{ user_id: number }>(
      `UPDATE telegram_link_codes SET used_at = now(), outcome = $3
        WHERE tenant_id = $1 AND digest = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [tenantId, digest(code), attempt.accept ? 'linked' : 'refused'],
    );
    const userId = rows[0]?.user_id;
    if (userId === undefined) return { result: 'invalid_code' };
    if (!attempt.accept) {
      const event = { userId, chatId: attempt.chatId, chatType: attempt.chatType, reason: attempt.reason };
      await auditIn(client, tenantId, userId, 'notify.link_refused', event);
      await publishApiEvent(tx, 'trading-state', { kind: 'notifier', event: 'link_refused', ...event });
      return { result: 'refused', userId };
    }
    await client.query(
      `UPDATE telegram_links SET status = 'replaced', status_reason = 'linked another chat', updated_at = now()
        WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'`,
      [tenantId, userId],
    );
    await client.query(
      `INSERT INTO telegram_links (tenant_id, user_id, chat_id, telegram_user_id, audit_cursor)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(seq), 0) FROM audit_log WHERE tenant_id = $1))`,
      [tenantId, userId, attempt.chatId, attempt.telegramUserId],
    );
    await auditIn(client, tenantId, userId, 'notify.linked', { userId, chatId: attempt.chatId });
    return { result: 'linked', userId };
  });
}

// ---------- queueing ----------

export interface AuditEventForNotice {
  seq: number;
  eventType: string;
  payload: Record<string, unknown>;
}

/**
 * For every active link of the tenant: the audit events of `types` past its cursor become
 * pending notifications (rendered by `render`; null skips one), and the cursor moves to the end
 * of the log as read. Audit seqs are given in commit order (the chain's lock), so an event
 * committed later always gets a seq past the cursor. Returns the ids of open notifications.
 */
export async function queueTenantNotifications(
  tx: TenantTx,
  types: readonly string[],
  render: (e: AuditEventForNotice) => string | null,
): Promise<number[]> {
  const { client, tenantId } = tx;
  const links = await client.query<{ id: string; audit_cursor: string; muted_events: string[] }>(
    `SELECT id, audit_cursor, muted_events FROM telegram_links
      WHERE tenant_id = $1 AND status = 'active' FOR UPDATE`,
    [tenantId],
  );
  for (const link of links.rows) {
    const { rows } = await client.query<{ seq: string; event_type: string; payload: Record<string, unknown> }>(
      `SELECT seq, event_type, payload FROM audit_log
        WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
      [tenantId, link.audit_cursor],
    );
    if (rows.length === 0) continue;
    for (const r of rows) {
      // Muted types are read past like any other: unmuting does not replay the past.
      if (!types.includes(r.event_type) || link.muted_events.includes(r.event_type)) continue;
      const body = render({ seq: Number(r.seq), eventType: r.event_type, payload: r.payload });
      if (body === null) continue;
      await client.query(
        `INSERT INTO notifications (tenant_id, link_id, audit_seq, event_type, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ON CONSTRAINT notifications_event DO NOTHING`,
        [tenantId, link.id, r.seq, r.event_type, body],
      );
    }
    await client.query('UPDATE telegram_links SET audit_cursor = $2 WHERE id = $1', [link.id, rows.at(-1)!.seq]);
  }
  const open = await client.query<{ id: string }>(
    "SELECT id FROM notifications WHERE tenant_id = $1 AND status IN ('pending', 'sending') ORDER BY id",
    [tenantId],
  );
  return open.rows.map((r) => Number(r.id));
}

// ---------- delivery ----------

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'refused' | 'failed' | 'unconfirmed';

export interface DeliveryRow {
  id: number;
  status: NotificationStatus;
  body: string;
  claimedBy: string | null;
  /** Seconds since the claim (null when never claimed). */
  claimAgeSeconds: number | null;
  link: { id: number; status: string; chatId: number; telegramUserId: number; userId: number };
}

export async function notificationForDelivery(
  pool: Pool,
  tenantId: number,
  id: number,
): Promise<DeliveryRow | undefined> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query(
      `SELECT n.id, n.status, n.body, n.claimed_by,
              extract(epoch FROM now() - n.attempt_started_at)::float8 AS claim_age,
              l.id AS link_id, l.status AS link_status, l.chat_id, l.telegram_user_id, l.user_id
         FROM notifications n JOIN telegram_links l ON l.id = n.link_id
        WHERE n.tenant_id = $1 AND n.id = $2`,
      [tenantId, id],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: Number(r.id),
      status: r.status,
      body: r.body,
      claimedBy: r.claimed_by,
      claimAgeSeconds: r.claim_age,
      link: {
        id: Number(r.link_id),
        status: r.link_status,
        chatId: Number(r.chat_id),
        telegramUserId: Number(r.telegram_user_id),
        userId: r.user_id,
      },
    };
  });
}

/** pending → sending, committed before the Bot API call; false when another delivery took it. */
export async function claimNotification(pool: Pool, tenantId: number, id: number, claimer: string): Promise<boolean> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rowCount } = await client.query(
      `UPDATE notifications SET status = 'sending', claimed_by = $3, attempt_started_at = now()
        WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
      [tenantId, id, claimer],
    );
    return rowCount === 1;
  });
}

/**
 * The end of a delivery: sent (with Telegram's message id), failed (Telegram refused it for
 * good), unconfirmed (an earlier attempt may have sent it), or back to pending (Telegram said
 * it did not send: rate limited). Audited except for a plain send.
 */
export async function finishNotification(
  pool: Pool,
  tenantId: number,
  id: number,
  end: { status: 'sent'; messageId: number } | { status: 'failed' | 'unconfirmed' | 'pending'; detail: string },
): Promise<void> {
  await withTenant(pool, tenantId, async ({ client }) => {
    if (end.status === 'sent') {
      await client.query(
        `UPDATE notifications SET status = 'sent', sent_at = now(), telegram_message_id = $3, detail = NULL
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, end.messageId],
      );
      return;
    }
    await client.query(
      `UPDATE notifications SET status = $3, detail = $4,
              claimed_by = CASE WHEN $3 = 'pending' THEN NULL ELSE claimed_by END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, end.status, end.detail],
    );
    if (end.status !== 'pending')
      await auditIn(client, tenantId, null, `notify.${end.status}`, { notificationId: id, detail: end.detail });
  });
}

/** The chat no longer passes the private-chat check: the notification and the link are refused. */
export async function refuseDelivery(
  pool: Pool,
  tenantId: number,
  row: DeliveryRow,
  seen: { chatId: number; chatType: string },
  reason: string,
): Promise<void> {
  await withTenant(pool, tenantId, async (tx) => {
    await tx.client.query("UPDATE notifications SET status = 'refused', detail = $3 WHERE tenant_id = $1 AND id = $2", [
      tenantId,
      row.id,
      reason,
    ]);
    await tx.client.query(
      `UPDATE telegram_links SET status = 'refused', status_reason = $3, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND status = 'active'`,
      [tenantId, row.link.id, reason],
    );
    const event = { userId: row.link.userId, linkId: row.link.id, notificationId: row.id, ...seen, reason };
    await auditIn(tx.client, tenantId, row.link.userId, 'notify.delivery_refused', event);
    await publishApiEvent(tx, 'trading-state', { kind: 'notifier', event: 'delivery_refused', ...event });
  });
}

// ---------- reading ----------

export async function notifierStatus(pool: Pool, tenantId: number, limit = 20) {
  return withTenant(pool, tenantId, async ({ client }) => {
    const links = await client.query(
      `SELECT l.id::int, u.email, l.chat_id::text AS "chatId", l.status, l.status_reason AS "statusReason",
              l.linked_at AS "linkedAt", l.muted_events AS "mutedEvents"
         FROM telegram_links l JOIN users u ON u.id = l.user_id WHERE l.tenant_id = $1 ORDER BY l.id`,
      [tenantId],
    );
    const notifications = await client.query(
      `SELECT id::int, link_id::int AS "linkId", audit_seq::int AS "auditSeq", event_type AS "eventType", status,
              detail, sent_at AS "sentAt"
         FROM notifications WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2`,
      [tenantId, limit],
    );
    return { links: links.rows, notifications: notifications.rows };
  });
}

/**
 * A user's preferences: mute or unmute event types on their active link. Returns the muted set
 * now, or undefined when the user has no active link.
 */
export async function setMutedEvents(
  pool: Pool,
  tenantId: number,
  userId: number,
  change: { mute?: readonly string[]; unmute?: readonly string[] },
): Promise<string[] | undefined> {
  return withTenant(pool, tenantId, async (tx) => {
    const { rows } = await tx.client.query<{ muted_events: string[] }>(
      `UPDATE telegram_links
          SET muted_events = ARRAY(SELECT DISTINCT e FROM unnest(muted_events || $3::text[]) e
                                    WHERE e <> ALL($4::text[]) ORDER BY e)
        WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'
        RETURNING muted_events`,
      [tenantId, userId, change.mute ?? [], change.unmute ?? []],
    );
    if (!rows[0]) return undefined;
    await auditIn(tx.client, tenantId, userId, 'notify.preferences_changed', { muted: rows[0].muted_events });
    return rows[0].muted_events;
  });
}

/** A tenant user's id by email (the user a link code is for). */
export async function tenantUserId(pool: Pool, tenantId: number, email: string): Promise<number | undefined> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query<{ id: number }>('SELECT id FROM users WHERE tenant_id = $1 AND email = $2', [
      tenantId,
      email.trim().toLowerCase(),
    ]);
    return rows[0]?.id;
  });
}
