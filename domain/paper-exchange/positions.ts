/** Positions with FIFO lots, and mark-to-market of the whole book. */
import { dec, Decimal, rupees, sumDec, type Rupees } from '../money';
import type { Contract, ExchangeState, OpenLot, Position } from './types';

export function contractKey(c: Contract): string {
  return `${c.instrument}|${c.expiry}|${c.strike}|${c.type}`;
}

/** Apply a signed trade (+ buy, − sell) to a position; closes FIFO and books realised P&L exactly. */
export function applyTrade(pos: Position | undefined, contract: Contract, signedQty: number, price: string): Position {
  const lots: OpenLot[] = pos ? [...pos.lots] : [];
  let realized = dec(pos?.realizedPnl ?? '0');
  let remaining = signedQty;
  while (remaining !== 0 && lots.length > 0 && Math.sign(lots[0]!.qty) !== Math.sign(remaining)) {
    const lot = lots[0]!;
    const closing = Math.min(Math.abs(lot.qty), Math.abs(remaining));
    const dir = Math.sign(lot.qty); // +1 closing a long, −1 closing a short
    realized = realized.plus(
      dec(price)
        .minus(lot.price)
        .times(closing * dir),
    );
    const left = lot.qty - dir * closing;
    if (left === 0) lots.shift();
    else lots[0] = { qty: left, price: lot.price };
    remaining += dir * closing;
  }
  if (remaining !== 0) lots.push({ qty: remaining, price });
  return { contract, netQty: lots.reduce((a, l) => a + l.qty, 0), lots, realizedPnl: rupees(realized) };
}

/** Exact open cost of a position's lots (signed). */
export function openCost(pos: Position): Decimal {
  return sumDec(pos.lots.map((l) => dec(l.price).times(l.qty)));
}

export interface PositionMark {
  readonly key: string;
  readonly contract: Contract;
  readonly netQty: number;
  /** Average open price to the paisa (display only; P&L uses the exact lots). */
  readonly avgPrice: Rupees | null;
  readonly mark: Rupees | null;
  readonly unrealizedPnl: Rupees;
  readonly realizedPnl: Rupees;
}

export interface BookValuation {
  readonly cash: Rupees;
  readonly positionsValue: Rupees;
  readonly equity: Rupees;
  readonly blockedMargin: Rupees;
  readonly freeCapital: Rupees;
  readonly realizedPnl: Rupees;
  readonly unrealizedPnl: Rupees;
  readonly positions: readonly PositionMark[];
}

/** Margin held against short option positions: |short qty| × spot × rate. */
export function blockedMargin(state: ExchangeState): Decimal {
  let m = new Decimal(0);
  for (const p of Object.values(state.positions)) {
    if (p.netQty >= 0) continue;
    const spot = state.spot[p.contract.instrument];
    if (spot === undefined) continue;
    m = m.plus(dec(spot).times(-p.netQty).times(state.config.shortMarginRate));
  }
  return m;
}

/** Mark every position at its last mid (open cost when never marked). */
export function valueBook(state: ExchangeState): BookValuation {
  const marks: PositionMark[] = [];
  let value = new Decimal(0);
  let unrealized = new Decimal(0);
  let realized = new Decimal(0);
  for (const key of Object.keys(state.positions).sort()) {
    const p = state.positions[key]!;
    const m = state.marks[key];
    const cost = openCost(p);
    const markValue = m ? dec(m.mid).times(p.netQty) : cost;
    value = value.plus(markValue);
    unrealized = unrealized.plus(markValue.minus(cost));
    realized = realized.plus(p.realizedPnl);
    marks.push({
      key,
      contract: p.contract,
      netQty: p.netQty,
      avgPrice: p.netQty === 0 ? null : rupees(cost.dividedBy(p.netQty)),
      mark: m ? rupees(m.mid) : null,
      unrealizedPnl: rupees(markValue.minus(cost)),
      realizedPnl: p.realizedPnl,
    });
  }
  const blocked = blockedMargin(state);
  const equity = dec(state.cash).plus(value);
  return {
    cash: rupees(state.cash),
    positionsValue: rupees(value),
    equity: rupees(equity),
    blockedMargin: rupees(blocked),
    freeCapital: rupees(dec(state.cash).minus(blocked)),
    realizedPnl: rupees(realized),
    unrealizedPnl: rupees(unrealized),
    positions: marks,
  };
}
