/**
 * Implied-volatility factors: the IV–RV gap (volatility risk premium), where IV sits in its own
 * history (rank, percentile, change), the term structure and the skew. Vols are decimals.
 */
import { atmIv, firstExpiryBeyond } from '../snapshot/atm-iv';
import { closeToCloseVol } from '../snapshot/realised-vol';
import { VOL_INDEX_MIN_DAYS } from '../snapshot/vol-index';
import type { DecisionSnapshot } from '../snapshot/types';
import { dailyCloses, quoteNearestDelta, referenceExpiry } from './chain-reads';
import { defineFactor } from './define-factor';
import { rvGarch, rvHar } from './volatility';

/** Daily vol-index closes the rank and percentile look back over at most (a year). */
const IV_HISTORY_WINDOW = 252;
const IV_HISTORY_MIN = 20;

function ivHistory(s: DecisionSnapshot): number[] | null {
  const values = s.daily.filter((d) => d.volIndex !== null).map((d) => d.volIndex!);
  const tail = values.slice(Math.max(0, values.length - IV_HISTORY_WINDOW));
  return tail.length < IV_HISTORY_MIN ? null : tail;
}

export const vrpIvRv20 = defineFactor({
  name: 'vrp_iv_rv20',
  family: 'vrp',
  description:
    'Volatility risk premium: 30-day vol index minus 20-day close-to-close realised vol. Null without 21 daily closes.',
  compute: (s) => {
    const rv = closeToCloseVol(dailyCloses(s), 20);
    return rv === null ? null : s.volIndex - rv;
  },
  expectedDecay: 5,
});

export const vrpIvHar = defineFactor({
  name: 'vrp_iv_har',
  family: 'vrp',
  description: 'Vol index minus the HAR-RV forecast (rv_har): implied over expected realised. Null when rv_har is.',
  compute: (s) => {
    const har = rvHar.compute(s);
    return har === null ? null : s.volIndex - har;
  },
  expectedDecay: 5,
});

export const vrpLogIvGarch = defineFactor({
  name: 'vrp_log_iv_garch',
  family: 'vrp',
  description: 'ln(vol index / GARCH(1,1) forecast): the premium as a log ratio. Null when rv_garch11 is null or zero.',
  compute: (s) => {
    const g = rvGarch.compute(s);
    return g === null || g === 0 ? null : Math.log(s.volIndex / g);
  },
  expectedDecay: 5,
});

export const volIndexLevel = defineFactor({
  name: 'vol_index',
  family: 'iv_level',
  description: 'The 30-day ATM implied vol read from the chain (VIX-style variance interpolation), a decimal.',
  compute: (s) => s.volIndex,
  expectedDecay: 15,
});

export const ivRank = defineFactor({
  name: 'iv_rank_252d',
  family: 'iv_level',
  description:
    'IV rank: (vol index − min) / (max − min), ' +
    "min and max over the last ≤ 252 days' closing vol index and today's. " +
    'In [0, 1]. Null with fewer than 20 past values or when they are all equal to today.',
  compute: (s) => {
    const h = ivHistory(s);
    if (!h) return null;
    const lo = Math.min(s.volIndex, ...h);
    const hi = Math.max(s.volIndex, ...h);
    return hi === lo ? null : (s.volIndex - lo) / (hi - lo);
  },
  expectedDecay: 15,
});

export const ivPercentile = defineFactor({
  name: 'iv_percentile_252d',
  family: 'iv_level',
  description:
    "IV percentile: the share of the last ≤ 252 days' closing vol index strictly below today's, in [0, 1]. " +
    'Null with fewer than 20 past values.',
  compute: (s) => {
    const h = ivHistory(s);
    return h && h.filter((v) => v < s.volIndex).length / h.length;
  },
  expectedDecay: 15,
});

export const volIndexChange1d = defineFactor({
  name: 'vol_index_change_1d',
  family: 'iv_level',
  description: "Vol index now minus yesterday's close. Null when yesterday's vol index is unknown.",
  compute: (s) => {
    const prev = s.daily[s.daily.length - 1]?.volIndex;
    return prev === undefined || prev === null ? null : s.volIndex - prev;
  },
  expectedDecay: 3,
});

export const termSpread = defineFactor({
  name: 'term_spread',
  family: 'term_structure',
  description:
    'ATM IV of the last listed expiry minus that of the first expiry at least 3 days out (> 0: contango, ' +
    '< 0: inverted, as in panics). Null when they are the same expiry.',
  compute: (s) => {
    const near = firstExpiryBeyond(s.chain, VOL_INDEX_MIN_DAYS);
    const far = s.chain.expiries[s.chain.expiries.length - 1];
    return !near || !far || near.expiry === far.expiry ? null : atmIv(far) - atmIv(near);
  },
  expectedDecay: 5,
});

export const termFrontPremium = defineFactor({
  name: 'term_front_premium',
  family: 'term_structure',
  description:
    'ATM IV of the first expiry at least one day out minus the 30-day vol index: front-end stress (event or ' +
    'expiry demand). Null when no expiry is a day out.',
  compute: (s) => {
    const front = firstExpiryBeyond(s.chain, 1);
    return front ? atmIv(front) - s.volIndex : null;
  },
  expectedDecay: 3,
});

/** IVs of the quotes nearest a delta at the reference expiry (nearest 30 days, ≥ 3 days out). */
function deltaVols(s: DecisionSnapshot, target: number): { call: number; put: number; atm: number } | null {
  const e = referenceExpiry(s);
  if (!e) return null;
  const call = quoteNearestDelta(e, 'call', target);
  const put = quoteNearestDelta(e, 'put', target);
  return call && put ? { call: call.iv, put: put.iv, atm: atmIv(e) } : null;
}

export const skewRr25 = defineFactor({
  name: 'skew_rr25',
  family: 'skew',
  description:
    '25-delta risk reversal at the expiry nearest 30 days (≥ 3 days out): IV of the call whose |delta| is nearest ' +
    '0.25 minus IV of the put nearest 0.25 (negative: puts richer). Null without such an expiry.',
  compute: (s) => {
    const v = deltaVols(s, 0.25);
    return v && v.call - v.put;
  },
  expectedDecay: 5,
});

export const skewBf25 = defineFactor({
  name: 'skew_bf25',
  family: 'skew',
  description:
    '25-delta butterfly at the same expiry: mean of the 25-delta call and put IVs minus ATM IV (smile curvature). ' +
    'Null without such an expiry.',
  compute: (s) => {
    const v = deltaVols(s, 0.25);
    return v && (v.call + v.put) / 2 - v.atm;
  },
  expectedDecay: 5,
});

export const skewPut10Premium = defineFactor({
  name: 'skew_put10_premium',
  family: 'skew',
  description:
    'Tail premium: IV of the put whose |delta| is nearest 0.10 minus ATM IV, at the expiry nearest 30 days. ' +
    'Null without such an expiry.',
  compute: (s) => {
    const v = deltaVols(s, 0.1);
    return v && v.put - v.atm;
  },
  expectedDecay: 5,
});

export const IMPLIED_VOL_FACTORS = [
  vrpIvRv20,
  vrpIvHar,
  vrpLogIvGarch,
  volIndexLevel,
  ivRank,
  ivPercentile,
  volIndexChange1d,
  termSpread,
  termFrontPremium,
  skewRr25,
  skewBf25,
  skewPut10Premium,
];
