/**
 * A domain structure (domain/strategies) as broker order legs: Kite trading symbols, units =
 * lots × lot size, and marketable limit prices (buy at ask, sell at bid, plus a protection of a
 * few ticks so a small move between quote and arrival still fills; the exchange fills at the
 * touch, not at the limit). Hedges (BUY legs) are listed before short legs: they are placed
 * first, so a short never rests naked.
 */
import { ceilToTick, floorToTick } from '../domain/money';
import type { Structure } from '../domain/strategies';
import type { OrderLeg } from '../contracts/orders';
import { formatTradingsymbol } from './tradingsymbol';

export function structureToLegs(
  s: Structure,
  lots: number,
  opts: { tick?: number; protectionTicks?: number } = {},
): OrderLeg[] {
  if (!Number.isInteger(lots) || lots <= 0) throw new RangeError('lots: expected a positive integer');
  const tick = opts.tick ?? 0.05;
  const guard = (opts.protectionTicks ?? 4) * tick;
  const legs = s.legs.map((l): OrderLeg => {
    const buyPx = ceilToTick(l.ask + guard, tick);
    const sellPx = Math.max(tick, floorToTick(l.bid - guard, tick));
    return {
      exchange: 'NFO',
      tradingsymbol: formatTradingsymbol({
        instrument: s.instrument,
        expiry: l.expiry,
        strike: l.strike,
        type: l.type,
      }),
      instrument: s.instrument,
      expiry: l.expiry,
      strike: l.strike,
      optionType: l.type === 'call' ? 'CE' : 'PE',
      side: l.side,
      quantity: lots * s.lotSize * l.ratio,
      orderType: 'LIMIT',
      limitPrice: (l.side === 'BUY' ? buyPx : sellPx).toFixed(2),
      exitPrice: (l.side === 'BUY' ? sellPx : buyPx).toFixed(2),
    };
  });
  return [...legs.filter((l) => l.side === 'BUY'), ...legs.filter((l) => l.side === 'SELL')];
}
