/**
 * Open-interest and volume flow of the front expiry (the first listed: where positioning
 * concentrates): put/call ratios, OI change since an earlier snapshot, max pain and the
 * strikes holding the most call and put OI. Distances are relative to spot ((K − S)/S).
 */
import { frontExpiry, ratio, strikeRows } from './chain-reads';
import { defineFactor } from './define-factor';
import type { DecisionSnapshot } from '../snapshot/types';

/** Σ put / Σ call of OI or volume over the front expiry; null without one or with a zero call side. */
function frontPutCallRatio(s: DecisionSnapshot, of: 'Oi' | 'Volume'): number | null {
  const e = frontExpiry(s);
  if (!e) return null;
  const rows = strikeRows(e);
  return ratio(
    rows.reduce((a, r) => a + r[`put${of}`], 0),
    rows.reduce((a, r) => a + r[`call${of}`], 0),
  );
}

export const pcrOi = defineFactor({
  name: 'pcr_oi',
  family: 'oi_flow',
  description: 'Put/call ratio by open interest, front expiry: Σ put OI / Σ call OI. Null when call OI is zero.',
  compute: (s) => frontPutCallRatio(s, 'Oi'),
  expectedDecay: 3,
});

export const pcrOiAll = defineFactor({
  name: 'pcr_oi_all',
  family: 'oi_flow',
  description: 'Put/call ratio by open interest over every listed expiry. Null when call OI is zero.',
  compute: (s) => {
    let put = 0;
    let call = 0;
    for (const q of s.chain.expiries.flatMap((e) => e.quotes)) {
      if (q.type === 'put') put += q.oi;
      else call += q.oi;
    }
    return ratio(put, call);
  },
  expectedDecay: 5,
});

export const pcrVolume = defineFactor({
  name: 'pcr_volume',
  family: 'oi_flow',
  description: "Put/call ratio by today's traded volume, front expiry. Null when no call has traded (e.g. at 09:15).",
  compute: (s) => frontPutCallRatio(s, 'Volume'),
  expectedDecay: 1,
});

export const oiChangeNet = defineFactor({
  name: 'oi_change_net',
  family: 'oi_flow',
  description:
    'Net put-minus-call OI added since the earlier snapshot, front expiry, over strikes listed in both: ' +
    '(Σ Δput OI − Σ Δcall OI) / Σ earlier (call + put) OI. Positive: put writing/buying outpaces calls. ' +
    'Null without an earlier snapshot of the same front expiry.',
  compute: (s) => {
    const e = frontExpiry(s);
    const prev = s.previousOi;
    if (!e || !prev || prev.expiry !== e.expiry) return null;
    const before = new Map(prev.strikes.map((r) => [r.strike, r]));
    let net = 0;
    let base = 0;
    for (const r of strikeRows(e)) {
      const p = before.get(r.strike);
      if (!p) continue;
      net += r.putOi - p.putOi - (r.callOi - p.callOi);
      base += p.callOi + p.putOi;
    }
    return ratio(net, base);
  },
  expectedDecay: 1,
});

/**
 * The strike at which option holders' total intrinsic value at expiry is least:
 * argmin over listed K* of Σ callOIₖ·max(0, K* − k) + Σ putOIₖ·max(0, k − K*).
 */
export function maxPainStrike(rows: readonly { strike: number; callOi: number; putOi: number }[]): number | null {
  let best: number | null = null;
  let bestPain = Infinity;
  for (const c of rows) {
    let pain = 0;
    for (const r of rows)
      pain += r.callOi * Math.max(0, c.strike - r.strike) + r.putOi * Math.max(0, r.strike - c.strike);
    if (pain < bestPain) {
      bestPain = pain;
      best = c.strike;
    }
  }
  return best;
}

export const maxPainDistance = defineFactor({
  name: 'max_pain_distance',
  family: 'oi_flow',
  description:
    'Max-pain strike of the front expiry relative to spot, (K_maxpain − S)/S (the lowest such strike on a tie); ' +
    'expiry-week pinning pulls towards it. Null without front-expiry quotes.',
  compute: (s) => {
    const e = frontExpiry(s);
    const k = e ? maxPainStrike(strikeRows(e)) : null;
    return k === null ? null : (k - s.spot) / s.spot;
  },
  expectedDecay: 2,
});

function wallDistance(side: 'callOi' | 'putOi') {
  return (s: DecisionSnapshot): number | null => {
    const e = frontExpiry(s);
    if (!e) return null;
    let best: { strike: number; oi: number } | null = null;
    for (const r of strikeRows(e)) if (!best || r[side] > best.oi) best = { strike: r.strike, oi: r[side] };
    return best && best.oi > 0 ? (best.strike - s.spot) / s.spot : null;
  };
}

export const callWallDistance = defineFactor({
  name: 'call_wall_distance',
  family: 'oi_flow',
  description:
    'Strike with the most call OI (front expiry; lowest on a tie) relative to spot, (K − S)/S: overhead ' +
    'resistance. Null when no call has OI.',
  compute: wallDistance('callOi'),
  expectedDecay: 3,
});

export const putWallDistance = defineFactor({
  name: 'put_wall_distance',
  family: 'oi_flow',
  description:
    'Strike with the most put OI (front expiry; lowest on a tie) relative to spot, (K − S)/S: support below. ' +
    'Null when no put has OI.',
  compute: wallDistance('putOi'),
  expectedDecay: 3,
});

export const OI_FLOW_FACTORS = [
  pcrOi,
  pcrOiAll,
  pcrVolume,
  oiChangeNet,
  maxPainDistance,
  callWallDistance,
  putWallDistance,
];
