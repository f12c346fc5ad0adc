/** A structure in rupees for a number of lots, and as cost-engine legs. */
import type { IsoDate } from '../dates';
import { dec, rupees, type Rupees } from '../money';
import type { CostLeg } from '../costs/engine';
import type { Structure } from './types';

export interface StructureRupees {
  readonly lots: number;
  readonly quantity: number;
  /** + credit received, − debit paid. */
  readonly netPremium: Rupees;
  readonly maxLoss: Rupees;
  /** null when unbounded. */
  readonly maxProfit: Rupees | null;
}

export function structureRupees(s: Structure, lots: number): StructureRupees {
  if (!Number.isInteger(lots) || lots <= 0) throw new RangeError('lots must be a positive integer');
  const q = lots * s.lotSize;
  return {
    lots,
    quantity: q,
    netPremium: rupees(dec(s.netPremium).times(q)),
    maxLoss: rupees(dec(s.maxLossPerUnit).times(q)),
    maxProfit: s.maxProfitPerUnit === null ? null : rupees(dec(s.maxProfitPerUnit).times(q)),
  };
}

/** Legs for the cost engine, priced at mid or crossing the spread. */
export function structureCostLegs(
  s: Structure,
  lots: number,
  options: { date?: IsoDate; price?: 'mid' | 'natural' } = {},
): CostLeg[] {
  return s.legs.map((l) => ({
    instrument: s.instrument,
    kind: 'option' as const,
    side: l.side,
    lots: lots * l.ratio,
    price: options.price === 'natural' ? (l.side === 'BUY' ? l.ask : l.bid) : l.mid,
    date: options.date ?? s.date,
    spread: Number((l.ask - l.bid).toFixed(2)),
  }));
}
