import { parseLinkCode } from '../db/notifications';
import { deliveryChatRefusal, linkChatRefusal, NOTIFIED_EVENTS, renderNotification } from './notification-messages';

describe('notification messages', () => {
  it('renders every notified event and nothing else', () => {
    for (const type of NOTIFIED_EVENTS) expect(renderNotification(type, {})).toEqual(expect.any(String));
    expect(renderNotification('user.created', { email: 'x' })).toBeNull();
    expect(
      renderNotification('hedge.rolled', {
        bought: { tradingsymbol: 'NIFTY26DEC23000PE', delta: -5.1 },
        sold: { tradingsymbol: 'NIFTY26NOV23500PE' },
      }),
    ).toBe('🛡 Tail hedge rolled: bought NIFTY26DEC23000PE (Δ -5.1), sold NIFTY26NOV23500PE');
    expect(
      renderNotification('decision.refused', {
        decisionId: 'day-2026-05-06-1015',
        instrument: 'NIFTY',
        walls: [{ wall: 'loss_limits', reasonCode: 'DAILY_LOSS_LIMIT' }],
      }),
    ).toBe('Decision day-2026-05-06-1015 (NIFTY) refused by the risk castle: loss_limits DAILY_LOSS_LIMIT');
    expect(renderNotification('model.promoted', { typeId: 'signal_stack', version: 3, previousVersion: 2 })).toBe(
      'Model signal_stack v3 promoted to production (was v2)',
    );
    expect(renderNotification('kill_switch.set', { scope: 'instrument', target: 'NIFTY', reason: 'gap' })).toBe(
      '⛔ Kill switch SET (instrument:NIFTY): gap',
    );
    expect(
      renderNotification('trading_day.summary', {
        date: '2026-05-06',
        status: 'completed',
        finalState: 'ACTIVE',
        trades: 2,
        decisions: 24,
        pnl: '1520.50',
        costs: '212.40',
      }),
    ).toBe('Day 2026-05-06 completed (ACTIVE): 2 trades, 24 decisions, P&L ₹1520.50 after ₹212.40 costs');
    expect(renderNotification('reconciliation.unclean', { unresolved: [{}, {}] })).toMatch(/2 unresolved/);
    // Telegram's limit is 4096 characters.
    expect(renderNotification('order.rejected', { reason: 'x'.repeat(10_000) })!.length).toBe(4000);
  });

  it('links only a private chat with the sender', () => {
    expect(linkChatRefusal({ id: 5, type: 'private' }, 5)).toBeNull();
    expect(linkChatRefusal({ id: -5, type: 'group' }, 5)).toMatch(/group chat cannot/);
    expect(linkChatRefusal({ id: -5, type: 'supergroup' }, 5)).toMatch(/supergroup chat cannot/);
    expect(linkChatRefusal({ id: -5, type: 'channel' }, undefined)).toMatch(/channel chat cannot/);
    expect(linkChatRefusal({ id: 5, type: 'private' }, 6)).toMatch(/not a 1:1 chat/);
  });

  it('delivers only while the chat is still the linked user’s private chat', () => {
    const link = { chatId: 5, telegramUserId: 5 };
    expect(deliveryChatRefusal({ id: 5, type: 'private' }, link)).toBeNull();
    expect(deliveryChatRefusal({ id: 5, type: 'group' }, link)).toMatch(/now a group chat/);
    expect(deliveryChatRefusal({ id: 6, type: 'private' }, link)).toMatch(/now answers as chat 6/);
    expect(deliveryChatRefusal({ id: 5, type: 'private' }, { chatId: 5, telegramUserId: 7 })).not.toBeNull();
  });

  it('reads a link code with or without /start, in any case, and refuses anything else', () => {
    expect(parseLinkCode('QS-12-ABCDEFGH23')).toEqual({ code: 'QS-12-ABCDEFGH23', tenantId: 12 });
    expect(parseLinkCode('/start qs-12-abcdefgh23')).toEqual({ code: 'QS-12-ABCDEFGH23', tenantId: 12 });
    expect(parseLinkCode('/start@qs_bot QS-3-ABCDEFGH23 ')).toEqual({ code: 'QS-3-ABCDEFGH23', tenantId: 3 });
    for (const bad of ['hello', 'QS-12-ABC', 'QS-x-ABCDEFGH23', 'QS-12-ABCDEFGH10', '/start', 'QS-12-ABCDEFGH23 x'])
      expect(parseLinkCode(bad)).toBeUndefined();
  });
});
