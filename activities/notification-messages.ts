/**
 * What a tenant hears on Telegram: the audit events that matter, each rendered as one short
 * plain-text message, and the private-chat checks made at link time and before every delivery.
 * Pure, so the rules are unit-tested without a bot.
 */

/** Audit event types that become notifications. */
export const NOTIFIED_EVENTS = [
  'kill_switch.set',
  'kill_switch.cleared',
  'trading_day.change',
  'trade.recorded',
  'order.rejected',
  'reconciliation.unclean',
  'trading_day.summary',
  'broker.relogin_required',
  'hedge.rolled',
  'hedge.bought',
  'hedge.buy_failed',
  'hedge.sell_failed',
  'hedge.refused',
  'model.promoted',
  'model.rolled_back',
  'decision.refused',
] as const;

export type NotifiedEvent = (typeof NOTIFIED_EVENTS)[number];

export function isNotifiedEvent(value: string): value is NotifiedEvent {
  return (NOTIFIED_EVENTS as readonly string[]).includes(value);
}

type Payload = Record<string, unknown>;
const str = (v: unknown, fallback = '?') => (v === undefined || v === null || v === '' ? fallback : String(v));

/** A put as the hedge events carry it: `NIFTY26DEC23000PE (Δ 5.1)`. */
const put = (v: unknown) => {
  const p = (v ?? {}) as Payload;
  return p.tradingsymbol ? `${str(p.tradingsymbol)}${p.delta !== undefined ? ` (Δ ${str(p.delta)})` : ''}` : 'none';
};
const hedge = (what: string) => (p: Payload) =>
  `🛡 Tail hedge ${what}: bought ${put(p.bought ?? p.wanted)}, sold ${put(p.sold)}` +
  `${p.reason ? ` (${str(p.reason)})` : ''}`;

const RENDER: Record<NotifiedEvent, (p: Payload) => string> = {
  'kill_switch.set': (p) => `⛔ Kill switch SET (${str(p.scope)}:${str(p.target)}): ${str(p.reason)}`,
  'kill_switch.cleared': (p) => `✅ Kill switch cleared (${str(p.scope)}:${str(p.target)}): ${str(p.reason)}`,
  'trading_day.change': (p) =>
    `Trading day: ${str(p.kind)} by ${str(p.by)}, now ${str(p.state)}${p.reason ? ` (${str(p.reason)})` : ''}`,
  'trade.recorded': (p) =>
    `Trade ${str(p.tradeId)}: ${str(p.status)}${p.reason ? ` (${str(p.reason)})` : ''}` +
    `, costs ₹${str(p.totalCosts, '0')}`,
  'order.rejected': (p) => `Order ${str(p.tag)} rejected by the broker: ${str(p.reason)}`,
  'reconciliation.unclean': (p) =>
    `⚠️ Reconciliation not clean (${str(p.scope, 'ledger')}): ` +
    `${Array.isArray(p.unresolved) ? p.unresolved.length : '?'} unresolved mismatch(es); new risk is stopped`,
  'trading_day.summary': (p) =>
    `Day ${str(p.date)} ${str(p.status)} (${str(p.finalState)}): ${str(p.trades, '0')} trades, ` +
    `${str(p.decisions, '0')} decisions, P&L ₹${str(p.pnl, '0')} after ₹${str(p.costs, '0')} costs`,
  'broker.relogin_required': (p) =>
    `🔑 Broker session expired (${str(p.reason)}): log in again today (qs broker kite login-url)`,
  'hedge.rolled': hedge('rolled'),
  'hedge.bought': hedge('bought, old put not yet sold'),
  'hedge.buy_failed': hedge('not bought'),
  'hedge.sell_failed': hedge('bought, old put NOT sold'),
  'hedge.refused': (p) => `🛡 Tail hedge roll refused: ${str(p.reason)}`,
  'decision.refused': (p) =>
    `Decision ${str(p.decisionId)} (${str(p.instrument)}) refused by the risk castle: ` +
    (Array.isArray(p.walls)
      ? (p.walls as Payload[]).map((w) => `${str(w.wall)} ${str(w.reasonCode, '')}`.trim()).join(', ')
      : '?'),
  'model.promoted': (p) =>
    `Model ${str(p.typeId)} v${str(p.version)} promoted to production (was v${str(p.previousVersion, 'none')})`,
  'model.rolled_back': (p) =>
    `Model ${str(p.typeId)} rolled back v${str(p.fromVersion)} → v${str(p.toVersion)}` +
    `${p.reason ? `: ${str(p.reason)}` : ''}`,
};

/** The message for an audit event, or null when it is not one a tenant is told about. */
export function renderNotification(eventType: string, payload: Payload): string | null {
  const render = RENDER[eventType as keyof typeof RENDER];
  return render ? render(payload ?? {}).slice(0, 4000) : null;
}

export interface ChatSeen {
  id: number;
  type: string;
}

/** Link time: the code must come from a private chat with the sender itself. Null: accepted. */
export function linkChatRefusal(chat: ChatSeen, fromUserId: number | undefined): string | null {
  if (chat.type !== 'private')
    return `a ${chat.type} chat cannot receive notifications: send the code in a private chat`;
  if (fromUserId === undefined || fromUserId !== chat.id) return 'the chat is not a 1:1 chat with the sender';
  return null;
}

/**
 * Before every delivery: the linked chat must still be the private chat of the linked user
 * (Telegram gives a private chat the user's id). Null: deliver.
 */
export function deliveryChatRefusal(chat: ChatSeen, link: { chatId: number; telegramUserId: number }): string | null {
  if (chat.type !== 'private') return `the linked chat is now a ${chat.type} chat`;
  if (chat.id !== link.chatId || chat.id !== link.telegramUserId)
    return `the linked chat ${link.chatId} now answers as chat ${chat.id}`;
  return null;
}
