/**
 * TradingDay's own activities (trading queue, database only): pre-open facts (with the daily loss
 * limit), order legs for a decision, an exit and a square-off, the book marked to market, the
 * day's orders still working, the audit of every operator change, the paper market's clock in
 * accelerated mode, and the day summary row. Each is idempotent: reads, upserts on (tenant,
 * date), audits keyed by the change's id.
 */
import type { Pool } from 'pg';
import { auditEventRecorded, auditIn } from '../db/audit';
import { brokerNameOf } from '../db/broker-accounts';
import { activeKillSwitches, tenantFlags } from '../db/trading-state';
import { bookPositions, costsOfDecisions, upsertTradingDay, workingOrdersOf } from '../db/trading-days';
import { tenantLimits } from '../db/tenant-limits';
import { dedicatedBrokerQueue } from '../db/broker-queue';
import { withTenant } from '../db/tenant';
import { MARKET_OPEN_MINUTE } from '../domain/calendar';
import { DEFAULT_TENANT_LIMITS, structureParams, type StrikeChoice } from '../domain/decision';
import { lotSize, type Instrument } from '../domain/instruments';
import { ceilToTick, dec, floorToTick, rupees } from '../domain/money';
import type { Structure, StructureKind, StructureLeg } from '../domain/strategies';
import { configurePaperAccount, paperMarketSession } from '../broker/paper/paper-broker';
import { chainAt } from '../broker/paper/market';
import { buildPaperStructure } from '../broker/paper/structures';
import { structureToLegs } from '../broker/structure-orders';
import { parseTradingsymbol } from '../broker/tradingsymbol';
import type { OrderLeg } from '../contracts/orders';
import type { BookPosition, DaySummary } from '../contracts/trading-day';
import type { HeldLeg } from '../domain/trading-day';

export interface EntryLegsInput {
  readonly tenantId: number;
  readonly date: string;
  readonly structure: StructureKind;
  readonly instrument: Instrument;
  readonly lots: number;
  readonly legs: readonly StructureLeg[];
  readonly strikes: StrikeChoice | null;
}

export interface Book {
  readonly positions: readonly BookPosition[];
  /** Σ realised + Σ open quantity × (mark − average): the book's value against its cost. */
  readonly value: string;
}

type Quote = { bid: number; ask: number; mid: number } | null;

const PROTECTION_TICKS = 4;
const TICK = 0.05;

/** Quotes of the tenant's paper market right now for the given symbols (null when not listed). */
async function paperQuotes(pool: Pool, tenantId: number, symbols: readonly string[]): Promise<Map<string, Quote>> {
  const out = new Map<string, Quote>();
  if (symbols.length === 0) return out;
  const { session, simMs } = await paperMarketSession(pool, tenantId);
  for (const symbol of symbols) {
    const c = parseTradingsymbol(symbol);
    if (!c) {
      out.set(symbol, null);
      continue;
    }
    const chain = chainAt(c.instrument, session, simMs, [c.expiry]);
    const q = chain.expiries
      .find((e) => e.expiry === c.expiry)
      ?.quotes.find((x) => x.strike === c.strike && x.type === c.type);
    out.set(symbol, q ? { bid: q.bid, ask: q.ask, mid: q.mid } : null);
  }
  return out;
}

/**
 * Marketable limit orders taking positions off: a short is bought back, a long sold, `quantity`
 * units each (zero skipped), priced a few ticks through the quote (a market order when there is
 * none); buys first, so no short is left naked.
 */
function closingLegs(
  wanted: ReadonlyArray<{ tradingsymbol: string; position: number; quantity: number }>,
  quotes: ReadonlyMap<string, Quote>,
): OrderLeg[] {
  const guard = PROTECTION_TICKS * TICK;
  const legs: OrderLeg[] = [];
  for (const w of wanted) {
    const c = parseTradingsymbol(w.tradingsymbol);
    if (!c || w.quantity <= 0) continue;
    const side = w.position < 0 ? 'BUY' : 'SELL';
    const q = quotes.get(w.tradingsymbol);
    const price =
      q && (side === 'BUY' ? ceilToTick(q.ask + guard, TICK) : Math.max(TICK, floorToTick(q.bid - guard, TICK)));
    legs.push({
      exchange: 'NFO',
      tradingsymbol: w.tradingsymbol,
      instrument: c.instrument,
      expiry: c.expiry,
      strike: c.strike,
      optionType: c.type === 'call' ? 'CE' : 'PE',
      side,
      quantity: w.quantity,
      ...(price ? { orderType: 'LIMIT' as const, limitPrice: price.toFixed(2) } : { orderType: 'MARKET' as const }),
    });
  }
  return legs.sort((a, b) => (a.side === b.side ? 0 : a.side === 'BUY' ? -1 : 1));
}

export function createTradingDayActivities(deps: { pool: Pool }) {
  const { pool } = deps;
  const isPaper = (tenantId: number) => withTenant(pool, tenantId, (tx) => brokerNameOf(tx)).then((b) => b === 'paper');

  /** The ledger's positions, the open ones, and their quotes (paper market; none on a real broker here). */
  const book = async (tenantId: number) => {
    const rows = await withTenant(pool, tenantId, (tx) => bookPositions(tx));
    const open = rows.filter((r) => r.quantity !== 0);
    const symbols = open.map((r) => r.tradingsymbol);
    const quotes = (await isPaper(tenantId)) ? await paperQuotes(pool, tenantId, symbols) : new Map<string, null>();
    return { rows, open, quotes };
  };

  const markBook = async (input: { tenantId: number }): Promise<Book> => {
    const { rows, open, quotes } = await book(input.tenantId);
    let value = rows.reduce((s, r) => s.plus(r.realizedPnl), dec(0));
    const positions = open.map((r): BookPosition => {
      const q = quotes.get(r.tradingsymbol);
      if (q) value = value.plus(dec(q.mid).minus(r.averagePrice).times(r.quantity));
      return {
        tradingsymbol: r.tradingsymbol,
        quantity: r.quantity,
        averagePrice: r.averagePrice,
        mark: q ? q.mid.toFixed(2) : null,
      };
    });
    return { positions, value: rupees(value) };
  };

  return {
    /** The tenant's status, tenant-wide kill switches and opening book, before the first tick. */
    async dayPreOpen(input: {
      tenantId: number;
    }): Promise<{ blockers: string[]; book: Book; maxDailyLoss: string; brokerTaskQueue: string | null }> {
      const { blockers, maxDailyLoss, brokerTaskQueue } = await withTenant(pool, input.tenantId, async (tx) => {
        const out: string[] = [];
        const flags = await tenantFlags(tx);
        if (flags?.status !== 'active') out.push(`tenant is ${flags?.status ?? 'unknown'}`);
        for (const k of await activeKillSwitches(tx, { instrument: '', structure: '' }))
          out.push(`kill switch (${k.scope}): ${k.reason}`);
        const limits = await tenantLimits(tx);
        return {
          blockers: out,
          maxDailyLoss: limits?.maxDailyLoss ?? DEFAULT_TENANT_LIMITS.maxDailyLoss,
          // A live tenant's orders leave from its own broker worker (its registered static IP).
          brokerTaskQueue: await dedicatedBrokerQueue(tx),
        };
      });
      return { blockers, book: await markBook(input), maxDailyLoss, brokerTaskQueue };
    },

    /**
     * Accelerated mode: the paper market's clock is set to the tick's market minute (same date
     * and seed), so orders fill at the prices of the instant the workflow is simulating.
     */
    async alignPaperMarket(input: { tenantId: number; date: string; seed: number; minute: number }): Promise<boolean> {
      if (!(await isPaper(input.tenantId))) return false;
      await configurePaperAccount(pool, input.tenantId, {
        market: { date: input.date, seed: input.seed, startMinute: input.minute - MARKET_OPEN_MINUTE, speed: 1 },
      });
      return true;
    },

    /**
     * A trade decision as order legs. On the paper broker the decided structure (kind, lots,
     * strike rule) is built on the paper exchange's own chain, whose simulated market is not the
     * decision snapshot's: its contracts are listed and its prices marketable there. On a real
     * broker the decided legs are sent as they are.
     */
    async entryLegs(input: EntryLegsInput): Promise<{ legs: OrderLeg[]; reason: string | null }> {
      if (await isPaper(input.tenantId)) {
        const params = input.strikes ? structureParams(input.structure, input.strikes) : { kind: input.structure };
        try {
          const built = await buildPaperStructure(
            pool,
            input.tenantId,
            input.structure,
            input.instrument,
            input.lots,
            params,
          );
          return { legs: built.legs, reason: null };
        } catch (err) {
          return { legs: [], reason: (err as Error).message };
        }
      }
      const s = {
        kind: input.structure,
        instrument: input.instrument,
        lotSize: lotSize(input.instrument, input.date),
        legs: input.legs,
      } as Structure;
      return { legs: structureToLegs(s, input.lots), reason: null };
    },

    /** Opposite legs closing every open position (buys first, so no short is left naked). */
    async squareOffLegs(input: { tenantId: number }): Promise<{ legs: OrderLeg[]; instrument: Instrument | null }> {
      const { open, quotes } = await book(input.tenantId);
      const legs = closingLegs(
        open.map((r) => ({ tradingsymbol: r.tradingsymbol, position: r.quantity, quantity: Math.abs(r.quantity) })),
        quotes,
      );
      return { legs, instrument: legs[0]?.instrument ?? null };
    },

    /**
     * Opposite legs closing one structure the day holds (an exit rule fired), each capped at what
     * the book still holds on that side, so an exit never opens a position.
     */
    async exitLegs(input: { tenantId: number; legs: readonly HeldLeg[] }): Promise<{ legs: OrderLeg[] }> {
      const { open, quotes } = await book(input.tenantId);
      const held = new Map(open.map((r) => [r.tradingsymbol, r.quantity]));
      const wanted = input.legs.map((l) => {
        const position = held.get(l.tradingsymbol) ?? 0;
        const sameSide = l.side === 'SELL' ? position < 0 : position > 0;
        return {
          tradingsymbol: l.tradingsymbol,
          position,
          quantity: sameSide ? Math.min(l.quantity, Math.abs(position)) : 0,
        };
      });
      return { legs: closingLegs(wanted, quotes) };
    },

    /** Orders of the day's placements still working at the broker (normally none: each placement waits out its own). */
    async workingOrders(input: {
      tenantId: number;
      decisionIds: string[];
    }): Promise<Array<{ tag: string; brokerOrderId: string | null }>> {
      return withTenant(pool, input.tenantId, (tx) => workingOrdersOf(tx, input.decisionIds));
    },

    markBook,

    /** One audit row per operator change, keyed by its id so a retried activity writes it once. */
    async auditDayChange(input: {
      tenantId: number;
      changeId: string;
      workflowId: string;
      kind: string;
      by: string;
      reason: string | null;
      at: string;
      state: string;
    }): Promise<void> {
      await withTenant(pool, input.tenantId, async (tx) => {
        if (await auditEventRecorded(tx.client, input.tenantId, 'trading_day.change', 'changeId', input.changeId))
          return;
        await auditIn(tx.client, input.tenantId, null, 'trading_day.change', input);
      });
    },

    /** The summary row, with the day's costs from its trades; returns the summary as stored. */
    async recordDaySummary(input: {
      summary: Omit<DaySummary, 'costs' | 'pnl'>;
      runId: string;
      decisionIds: string[];
    }): Promise<DaySummary> {
      const s = input.summary;
      return withTenant(pool, s.tenantId, async (tx) => {
        const costs = rupees(await costsOfDecisions(tx, input.decisionIds));
        const summary: DaySummary = { ...s, costs, pnl: rupees(dec(s.grossPnl).minus(costs)) };
        await upsertTradingDay(tx, {
          tradingDate: s.date,
          workflowId: s.workflowId,
          runId: input.runId,
          mode: s.mode,
          status: s.status,
          finalState: s.finalState,
          decisions: s.decisions,
          trades: s.trades,
          refusals: { ...s.refusals },
          pnl: summary.pnl,
          costs,
          maxDrawdown: s.maxDrawdown,
          summary,
        });
        // The notifier's event: the audit log is the outbox it reads.
        if (!(await auditEventRecorded(tx.client, s.tenantId, 'trading_day.summary', 'workflowId', s.workflowId)))
          await auditIn(tx.client, s.tenantId, null, 'trading_day.summary', summary);
        return summary;
      });
    },
  };
}

export type TradingDayActivities = ReturnType<typeof createTradingDayActivities>;
