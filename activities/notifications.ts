/**
 * Telegram notifications (grammY against the configured Bot API root). Three activities the
 * NotificationSweep workflow calls in turn:
 * - pollTelegramUpdates: link codes sent to the bot; only a private 1:1 chat with the sender links
 *   (a group or channel burns the code, audited);
 * - queueNotifications: every active link turns its new audit events into notification rows;
 * - deliverNotification: one notification, sent at most once. The Bot API has no idempotency key,
 *   so the row says 'sending' (committed) before the call and 'sent' after it; an attempt that
 *   finds its own earlier 'sending' cannot know whether Telegram got the message and marks it
 *   unconfirmed (audited) instead of sending it again. Before every send the chat is looked up
 *   again (getChat): a chat that is no longer the linked user's private chat is refused.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Api, GrammyError } from 'grammy';
import type { Pool } from 'pg';
import {
  advanceUpdateOffset,
  claimNotification,
  finishNotification,
  notificationForDelivery,
  parseLinkCode,
  queueTenantNotifications,
  redeemLinkCode,
  refuseDelivery,
  telegramBot,
  type TelegramBot,
} from '../db/notifications';
import type { KeyProvider } from '../db/secret-box';
import { forEachTenant } from '../db/tenant';
import type { DeliveryOutcome, NotificationRef, UpdatesPolled } from '../contracts/notifications';
import { deliveryChatRefusal, linkChatRefusal, NOTIFIED_EVENTS, renderNotification } from './notification-messages';

/** A 'sending' row older than this, claimed by another delivery, is taken to be abandoned. */
const ABANDONED_CLAIM_SECONDS = 300;

export function botApi(bot: Pick<TelegramBot, 'token' | 'apiRoot'>): Api {
  return new Api(bot.token, { apiRoot: bot.apiRoot, timeoutSeconds: 15 });
}

export function createNotificationActivities(deps: { pool: Pool; keys: () => KeyProvider | null }) {
  const { pool } = deps;

  async function bot(): Promise<TelegramBot | undefined> {
    const keys = deps.keys();
    if (!keys)
      throw ApplicationFailure.nonRetryable(
        'QS_SECRETS_KEY is not set: the Telegram bot token is sealed with it',
        'NotifierConfig',
      );
    return telegramBot(pool, keys);
  }

  return {
    async pollTelegramUpdates(): Promise<UpdatesPolled> {
      const polled: UpdatesPolled = { configured: false, updates: 0, linked: 0, refused: 0, ignored: 0 };
      const b = await bot();
      if (!b) return polled;
      polled.configured = true;
      const api = botApi(b);
      const updates = await api.getUpdates({
        offset: b.updateOffset,
        timeout: 0,
        allowed_updates: ['message', 'channel_post'],
      });
      for (const u of updates) {
        polled.updates++;
        const msg = u.message ?? u.channel_post;
        const parsed = msg?.text ? parseLinkCode(msg.text) : undefined;
        let reply: string | undefined;
        if (!msg || !parsed) {
          polled.ignored++;
        } else {
          const refusal = linkChatRefusal(msg.chat, msg.from?.id);
          const outcome = await redeemLinkCode(
            pool,
            parsed.tenantId,
            parsed.code,
            refusal
              ? { accept: false, chatId: msg.chat.id, chatType: msg.chat.type, reason: refusal }
              : { accept: true, chatId: msg.chat.id, telegramUserId: msg.from!.id },
          );
          if (outcome.result === 'linked') {
            polled.linked++;
            reply = 'Linked: this chat will receive Quantsentinel notifications.';
          } else if (outcome.result === 'refused') polled.refused++;
          else {
            polled.ignored++;
            // Only a private chat hears back: nothing is ever posted to a group or channel.
            if (msg.chat.type === 'private') reply = 'That code is unknown, used or expired: ask for a new one.';
          }
        }
        // Each update is handled once: the offset moves past it before the (courtesy) reply, so a
        // failed reply is not a reason to read the update again.
        await advanceUpdateOffset(pool, u.update_id + 1);
        if (reply && msg) await api.sendMessage(msg.chat.id, reply).catch(() => undefined);
      }
      return polled;
    },

    async queueNotifications(): Promise<NotificationRef[]> {
      const open: NotificationRef[] = [];
      await forEachTenant(pool, async (tx) => {
        const ids = await queueTenantNotifications(tx, NOTIFIED_EVENTS, (e) =>
          renderNotification(e.eventType, e.payload),
        );
        for (const id of ids) open.push({ tenantId: tx.tenantId, id });
      });
      return open;
    },

    async deliverNotification(ref: NotificationRef): Promise<DeliveryOutcome> {
      const info = Context.current().info;
      const claimer = `${info.workflowExecution?.workflowId ?? info.activityType}/${info.activityId}`;
      const row = await notificationForDelivery(pool, ref.tenantId, ref.id);
      if (!row) throw ApplicationFailure.nonRetryable(`notification ${ref.id} does not exist`, 'NotFound');
      if (row.status === 'sending') {
        const mine = row.claimedBy === claimer;
        if (!mine && (row.claimAgeSeconds ?? 0) < ABANDONED_CLAIM_SECONDS) return 'in_flight';
        const detail = mine
          ? `attempt ${info.attempt - 1} of this delivery was cut off mid-send`
          : `abandoned by ${row.claimedBy}`;
        await finishNotification(pool, ref.tenantId, row.id, { status: 'unconfirmed', detail });
        return 'unconfirmed';
      }
      if (row.status !== 'pending') return row.status;
      if (row.link.status !== 'active') {
        await finishNotification(pool, ref.tenantId, row.id, { status: 'failed', detail: `link ${row.link.status}` });
        return 'failed';
      }
      const b = await bot();
      if (!b)
        throw ApplicationFailure.nonRetryable('no Telegram bot is configured (qs notify setup)', 'NotifierConfig');
      const api = botApi(b);

      const chat = await api.getChat(row.link.chatId).catch((err: unknown) => {
        // Telegram answers "chat not found" when the user deleted the chat or the id moved, and
        // 403 when the user blocked the bot.
        if (err instanceof GrammyError && err.error_code === 400) return { id: Number.NaN, type: 'missing' };
        if (err instanceof GrammyError && err.error_code === 403) return { id: Number.NaN, type: 'blocked' };
        throw err;
      });
      if (chat.type === 'blocked') {
        await finishNotification(pool, ref.tenantId, row.id, { status: 'failed', detail: 'the user blocked the bot' });
        return 'failed';
      }
      const refusal = deliveryChatRefusal(chat, row.link);
      if (refusal) {
        await refuseDelivery(pool, ref.tenantId, row, { chatId: chat.id, chatType: chat.type }, refusal);
        return 'refused';
      }

      if (!(await claimNotification(pool, ref.tenantId, row.id, claimer))) return 'in_flight';
      try {
        const sent = await api.sendMessage(row.link.chatId, row.body);
        await finishNotification(pool, ref.tenantId, row.id, { status: 'sent', messageId: sent.message_id });
        return 'sent';
      } catch (err) {
        if (err instanceof GrammyError && (err.error_code === 429 || err.error_code < 500)) {
          // Telegram answered and did not send: retry later (429) or never (blocked, bad chat).
          const detail = `${err.error_code} ${err.description}`;
          if (err.error_code === 429) {
            await finishNotification(pool, ref.tenantId, row.id, { status: 'pending', detail });
            throw ApplicationFailure.create({
              message: `Telegram rate limit: ${detail}`,
              type: 'TelegramRateLimit',
              // Telegram says when to come back.
              nextRetryDelay: `${err.parameters.retry_after ?? 1}s`,
            });
          }
          await finishNotification(pool, ref.tenantId, row.id, { status: 'failed', detail });
          return 'failed';
        }
        // No answer, or a 5xx: the message may have gone out. The row stays 'sending' and the
        // retry marks it unconfirmed rather than risk a second copy.
        throw err;
      }
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
