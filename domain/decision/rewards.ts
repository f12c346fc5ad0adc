/**
 * What each of the eight structures would have made, per lot, had it been opened at a decision
 * and closed at mid `horizon` minutes later, net of the round trip's costs: the full-information
 * reward a simulated day gives the strategy agents (a real trade gives only its own arm).
 */
import { ARMS } from '../agents/action-space';
import { computeCosts } from '../costs/engine';
import type { SlippageModel } from '../costs/slippage';
import type { ChainOptions, OptionChain } from '../market/types';
import { quoteAt } from '../strategies/select';
import { buildStructure } from '../strategies/templates';
import type { StructureKind } from '../strategies/types';
import { roundTripLegs } from './decide';

/** Net P&L in rupees of one lot of each structure; null where it cannot be built or marked. */
export function armRewards(
  entry: OptionChain,
  exit: OptionChain,
  slippageModel?: SlippageModel,
): Record<StructureKind, number | null> {
  const out = {} as Record<StructureKind, number | null>;
  for (const kind of ARMS) {
    const built = buildStructure(entry, { kind });
    if (!built.ok) {
      out[kind] = null;
      continue;
    }
    const s = built.structure;
    let pnl = 0;
    let marked = true;
    for (const l of s.legs) {
      const e = exit.expiries.find((x) => x.expiry === l.expiry);
      const q = e && quoteAt(e, l.strike, l.type);
      if (!q) {
        marked = false;
        break;
      }
      pnl += (l.side === 'BUY' ? 1 : -1) * (q.mid - l.mid) * l.ratio * s.lotSize;
    }
    out[kind] = marked ? pnl - Number(computeCosts(roundTripLegs(s, 1), { slippageModel }).total) : null;
  }
  return out;
}

export type { ChainOptions };
