/**
 * Simulated fills for the slippage model: market orders placed by the synthetic personas
 * against simulated option chains. The fill walks the displayed book (each level half a spread
 * further, at least a tick; deeper levels hold more) with a little hidden-liquidity noise, which is what a
 * paper exchange does; the rows carry the persona fields a persona trade has, so the Rule 1
 * strip is exercised on realistic input.
 */
import { listExpiries } from '../../domain/calendar';
import { buildChain, snapshotAt, type MarketDay, type OptionQuote } from '../../domain/market';
import { hashUniform, Rng } from '../../domain/random';
import type { RawRow } from './rule1';

const PERSONA_ARCHETYPES = ['aggressor', 'scalper', 'hedger', 'contrarian', 'momentum'] as const;
const BIAS_TYPES = ['overconfidence', 'loss_aversion', 'recency', 'anchoring', 'none'] as const;

export interface SimulatedFill extends RawRow {
  readonly lots_minus_1: number;
  readonly depth_ratio: number;
  readonly sqrt_volume_share: number;
  readonly stress: number;
  readonly spread: number;
  readonly slip_per_unit: number;
  readonly persona_id: string;
  readonly is_synthetic: boolean;
  readonly bias_type: string;
  readonly persona_archetype: string;
}

export interface FillOptions {
  /** Minutes of the session at which orders arrive. */
  readonly minutes?: readonly number[];
  readonly ordersPerMinute?: number;
}

/** The average price of `units` walked through a book whose first level shows `shown` units. */
export function walkBook(touch: number, step: number, shown: number, units: number, direction: 1 | -1): number {
  let left = units;
  let cost = 0;
  for (let level = 0; left > 0; level++) {
    const depth = Math.max(1, Math.round(shown * (1 + 0.5 * level)));
    const take = Math.min(left, depth);
    cost += take * (touch + direction * level * step);
    left -= take;
  }
  return cost / units;
}

export function simulatedFills(day: MarketDay, options: FillOptions = {}): SimulatedFill[] {
  const minutes = options.minutes ?? [40, 80, 120, 160, 200, 240, 280, 320, 360];
  const perMinute = options.ordersPerMinute ?? 3;
  const rng = new Rng(`fills|${day.instrument}|${day.date}`);
  const expiry = listExpiries(day.instrument, day.date, 1)[0]!;
  const out: SimulatedFill[] = [];
  for (const minute of minutes) {
    const snap = snapshotAt(day, minute);
    const chain = buildChain(snap, { expiries: [expiry], strikesEachSide: 12 });
    const quotes = chain.expiries[0]!.quotes.filter((q) => q.bid > 0 && q.ask > q.bid);
    for (let k = 0; k < perMinute; k++) {
      const persona = 1 + Math.floor(hashUniform(`${day.date}|${minute}|${k}|persona`) * 20);
      const archetype = PERSONA_ARCHETYPES[persona % PERSONA_ARCHETYPES.length]!;
      const quote: OptionQuote = quotes[Math.floor(rng.next() * quotes.length)]!;
      // Aggressors trade bigger: a persona trait that must not reach the features (only lots do).
      const lots = rng.int(1, archetype === 'aggressor' ? 30 : 12);
      const units = lots * chain.lotSize;
      const buy = rng.chance(0.5);
      const spread = quote.ask - quote.bid;
      const mid = (quote.ask + quote.bid) / 2;
      const touch = buy ? quote.ask : quote.bid;
      const shown = buy ? quote.askQty : quote.bidQty;
      let avg = walkBook(touch, Math.max(chain.tickSize, spread / 2), shown, units, buy ? 1 : -1);
      // Hidden liquidity and queue position: a little noise around the book walk.
      avg += (buy ? 1 : -1) * spread * 0.05 * rng.normal();
      const slip = buy ? avg - mid : mid - avg;
      out.push({
        context_source: 'synthetic',
        group: day.date,
        label: slip / spread,
        lots_minus_1: lots - 1,
        depth_ratio: units / shown,
        sqrt_volume_share: Math.sqrt(Math.min(1, units / Math.max(quote.volume, units))),
        stress: snap.stress,
        spread,
        slip_per_unit: slip,
        persona_id: `P${String(persona).padStart(2, '0')}`,
        is_synthetic: true,
        bias_type: BIAS_TYPES[persona % BIAS_TYPES.length]!,
        persona_archetype: archetype,
      });
    }
  }
  return out;
}
