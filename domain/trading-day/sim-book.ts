/**
 * A backtest's book for one simulated day: structures entered and closed at the natural price
 * (sell at the bid, buy at the ask), the same exit rules as the live day, the same cost engine,
 * marked at mids every tick. No broker and no workflow: what `qs backtest` runs the decisions
 * through. Pure and exact (rupees as decimals).
 */
import { computeCosts } from '../costs';
import type { CostLeg } from '../costs/engine-types';
import type { IsoDate } from '../dates';
import type { Instrument } from '../instruments';
import { dec, rupees, type Decimal, type Rupees } from '../money';
import { dailyLossBreach, exitDue, exitRuleFor, structurePnl, type ExitOverrides, type OpenStructure } from './exits';
import { countInto } from './summary';

export interface SimQuote {
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
}

/** A leg to trade: its symbol, the side entered, units, and the quote it trades at. */
export interface SimLeg {
  readonly tradingsymbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  readonly quote: SimQuote;
}

export type QuoteBook = (tradingsymbol: string) => SimQuote | undefined;

/** One closed structure for attribution: gross P&L at the fills, and its entry + exit costs. */
export interface ClosedTrade {
  readonly decisionId: string;
  readonly structure: string;
  /** An exit rule's reason, 'loss_guard' (the daily loss guard) or 'square_off' (15:15). */
  readonly reason: string;
  readonly pnl: Rupees;
  readonly costs: Rupees;
}

const natural = (side: 'BUY' | 'SELL', q: SimQuote) => (side === 'BUY' ? q.ask : q.bid);

export class SimBook {
  open: OpenStructure[] = [];
  readonly closedPnls: Rupees[] = [];
  readonly closedTrades: ClosedTrade[] = [];
  exits: Record<string, number> = {};
  realised: Decimal = dec(0);
  costs: Decimal = dec(0);
  trades = 0;
  /** Net P&L (realised − costs + unrealised at mids) after each tick. */
  readonly path: Rupees[] = [];
  lotsToday = 0;
  /** Set by the daily loss guard: no new entries for the rest of the day. */
  reducing = false;
  /** The last quote seen per held symbol: a strike that leaves the chain still closes at its last price. */
  private readonly lastQuotes = new Map<string, SimQuote>();
  /** Entry costs per open structure (by decision id), added to its exit's for attribution. */
  private readonly entryCosts = new Map<string, Decimal>();

  constructor(
    readonly instrument: Instrument,
    readonly date: IsoDate,
    readonly lotSize: number,
    private readonly exitRules?: ExitOverrides,
  ) {}

  private charge(legs: readonly SimLeg[]): Decimal {
    const costLegs: CostLeg[] = legs.map((l) => ({
      instrument: this.instrument,
      kind: 'option',
      side: l.side,
      lots: l.quantity / this.lotSize,
      price: natural(l.side, l.quote),
      date: this.date,
      spread: Number((l.quote.ask - l.quote.bid).toFixed(2)),
    }));
    const total = dec(computeCosts(costLegs).total);
    this.costs = this.costs.plus(total);
    return total;
  }

  enter(e: {
    decisionId: string;
    structure: string;
    lots: number;
    minute: number;
    nearestExpiry: IsoDate;
    legs: readonly SimLeg[];
  }): void {
    this.entryCosts.set(e.decisionId, this.charge(e.legs));
    this.open.push({
      decisionId: e.decisionId,
      structure: e.structure,
      instrument: this.instrument,
      lots: e.lots,
      openedMinute: e.minute,
      nearestExpiry: e.nearestExpiry,
      legs: e.legs.map((l) => ({
        tradingsymbol: l.tradingsymbol,
        side: l.side,
        quantity: l.quantity,
        price: rupees(natural(l.side, l.quote)),
      })),
    });
    this.trades++;
    this.lotsToday += e.lots;
  }

  private quote(symbol: string, quotes: QuoteBook): SimQuote | undefined {
    const q = quotes(symbol);
    if (q) this.lastQuotes.set(symbol, q);
    return q ?? this.lastQuotes.get(symbol);
  }

  /** Closes a structure at the natural price of the opposite side (a leg's last quote when it has none now). */
  private close(s: OpenStructure, quotes: QuoteBook, reason: string): boolean {
    const legs: SimLeg[] = [];
    for (const l of s.legs) {
      const q = this.quote(l.tradingsymbol, quotes);
      if (!q) return false;
      legs.push({
        tradingsymbol: l.tradingsymbol,
        side: l.side === 'BUY' ? 'SELL' : 'BUY',
        quantity: l.quantity,
        quote: q,
      });
    }
    const prices = Object.fromEntries(legs.map((l) => [l.tradingsymbol, rupees(natural(l.side, l.quote))]));
    const pnl = structurePnl(s, prices)!;
    const costs = this.charge(legs).plus(this.entryCosts.get(s.decisionId) ?? 0);
    this.entryCosts.delete(s.decisionId);
    this.realised = this.realised.plus(pnl);
    this.closedPnls.push(pnl);
    this.closedTrades.push({ decisionId: s.decisionId, structure: s.structure, reason, pnl, costs: rupees(costs) });
    this.open = this.open.filter((o) => o !== s);
    return true;
  }

  /** The exit rules at this minute, on mids; a due structure closes at the natural price. */
  applyExits(minute: number, quotes: QuoteBook): void {
    for (const s of [...this.open]) {
      const marks = Object.fromEntries(
        s.legs.map((l) => [l.tradingsymbol, this.quote(l.tradingsymbol, quotes)?.mid.toFixed(2)]),
      );
      const v = exitDue(s, exitRuleFor(s.structure, this.exitRules), { date: this.date, minute }, marks);
      if (v && this.close(s, quotes, v.reason)) this.exits = countInto(this.exits, v.reason);
    }
  }

  /** The live day's daily loss guard: at −limit (net, marked) everything closes and the day stops entering. */
  guardDailyLoss(quotes: QuoteBook, maxDailyLoss: Rupees): void {
    if (this.open.length === 0) return;
    if (dailyLossBreach(rupees(this.net().plus(this.unrealised(quotes))), maxDailyLoss) === null) return;
    this.closeAll(quotes, 'loss_guard');
    this.reducing = true;
  }

  /** The square-off (or the guard): everything still open closes. */
  closeAll(quotes: QuoteBook, reason = 'square_off'): void {
    for (const s of [...this.open]) this.close(s, quotes, reason);
  }

  /** Unrealised P&L at mids (a leg without a quote is carried at its entry price). */
  unrealised(quotes: QuoteBook): Decimal {
    let u = dec(0);
    for (const s of this.open) {
      const marks = Object.fromEntries(
        s.legs.map((l) => [l.tradingsymbol, this.quote(l.tradingsymbol, quotes)?.mid.toFixed(2) ?? l.price]),
      );
      u = u.plus(structurePnl(s, marks)!);
    }
    return u;
  }

  mark(quotes: QuoteBook): void {
    this.path.push(rupees(this.net().plus(this.unrealised(quotes))));
  }

  /** Realised P&L after costs. */
  net(): Decimal {
    return this.realised.minus(this.costs);
  }

  /** Open positions by symbol (signed units, average entry price): the castle's view of the book. */
  positions(): Array<{ tradingsymbol: string; quantity: number; averagePrice: string }> {
    const by = new Map<string, { q: number; cost: Decimal }>();
    for (const s of this.open)
      for (const l of s.legs) {
        const signed = l.side === 'BUY' ? l.quantity : -l.quantity;
        const cur = by.get(l.tradingsymbol) ?? { q: 0, cost: dec(0) };
        by.set(l.tradingsymbol, { q: cur.q + signed, cost: cur.cost.plus(dec(l.price).times(signed)) });
      }
    return [...by]
      .filter(([, v]) => v.q !== 0)
      .map(([tradingsymbol, v]) => ({ tradingsymbol, quantity: v.q, averagePrice: rupees(v.cost.dividedBy(v.q)) }));
  }
}
