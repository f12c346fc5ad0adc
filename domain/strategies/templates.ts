/**
 * The only constructor of structures: `buildStructure(chain, params)` builds the legs of one of
 * the eight templates from an option chain and works out its premium, bounds and greeks.
 *
 * Strike choice: credit spreads and condors sell the strike nearest a target delta (on the
 * chain's own skewed IVs) and buy protection a fixed number of strikes further out; the iron
 * butterfly and straddle use the ATM strike; the strangle buys two target-delta wings; the
 * calendar sells the near expiry and buys the far one at one strike; the protective put (the
 * tail hedge) buys the ~5-delta put.
 */
import type { OrderSide } from '../orders/state-machine';
import { dec, Decimal, rupees, type Rupees } from '../money';
import { black76, type OptionType } from '../pricing/black76';
import { yearFraction } from '../calendar';
import type { ChainExpiry, OptionChain, OptionQuote } from '../market/types';
import { chooseExpiry, quoteAt, quoteByDelta } from './select';
import type { BuildResult, Greeks, Structure, StructureKind, StructureLeg, StructureParams } from './types';

type Fail = Extract<BuildResult, { ok: false }>;
const fail = (reason: Fail['reason'], detail: string): Fail => ({ ok: false, reason, detail });

function leg(side: OrderSide, q: OptionQuote, expiry: string): StructureLeg {
  return {
    side,
    type: q.type,
    strike: q.strike,
    expiry,
    ratio: 1,
    bid: q.bid,
    ask: q.ask,
    mid: q.mid,
    iv: q.iv,
    delta: q.delta,
    gamma: q.gamma,
    vega: q.vega,
    theta: q.theta,
  };
}

/** Per-unit premium: + for credits. `natural` sells at the bid and buys at the ask. */
function premium(legs: readonly StructureLeg[], natural: boolean): Decimal {
  let acc = new Decimal(0);
  for (const l of legs) {
    const px = natural ? (l.side === 'SELL' ? l.bid : l.ask) : l.mid;
    acc = l.side === 'SELL' ? acc.plus(dec(px).times(l.ratio)) : acc.minus(dec(px).times(l.ratio));
  }
  return acc;
}

function netGreeks(legs: readonly StructureLeg[]): Greeks {
  const g = { delta: 0, gamma: 0, vega: 0, theta: 0 };
  for (const l of legs) {
    const s = (l.side === 'BUY' ? 1 : -1) * l.ratio;
    g.delta += s * l.delta;
    g.gamma += s * l.gamma;
    g.vega += s * l.vega;
    g.theta += s * l.theta;
  }
  return g;
}

interface Bounds {
  maxLoss: Decimal;
  maxProfit: Decimal | null;
  estimate?: boolean;
}

function finish(
  chain: OptionChain,
  kind: StructureKind,
  legs: StructureLeg[],
  bounds: (credit: Decimal) => Bounds,
): BuildResult {
  const credit = premium(legs, false);
  const b = bounds(credit);
  const nearestExpiry = legs.reduce((m, l) => (l.expiry < m ? l.expiry : m), legs[0]!.expiry);
  const greeks = netGreeks(legs);
  // Short gamma is judged in the nearest expiry, where gamma risk concentrates (a calendar is
  // long vega overall but short the front month's gamma).
  const nearGamma = legs
    .filter((l) => l.expiry === nearestExpiry)
    .reduce((a, l) => a + (l.side === 'BUY' ? 1 : -1) * l.gamma, 0);
  const structure: Structure = {
    kind,
    instrument: chain.instrument,
    date: chain.date,
    timestamp: chain.timestamp,
    lotSize: chain.lotSize,
    legs,
    shortVolatility: SHORT_VOL[kind],
    shortGamma: SHORT_GAMMA[kind] || nearGamma < 0,
    netPremium: rupees(credit),
    netPremiumNatural: rupees(premium(legs, true)),
    maxLossPerUnit: rupees(Decimal.max(b.maxLoss, 0)),
    maxProfitPerUnit: b.maxProfit === null ? null : rupees(b.maxProfit),
    maxProfitIsEstimate: b.estimate ?? false,
    greeks,
    nearestExpiry,
  };
  return { ok: true, structure };
}

/** Structural flags by template (the calendar's short gamma is also caught by the greeks). */
const SHORT_VOL: Readonly<Record<StructureKind, boolean>> = {
  BULL_PUT_SPREAD: true,
  BEAR_CALL_SPREAD: true,
  IRON_CONDOR: true,
  IRON_BUTTERFLY: true,
  LONG_STRADDLE: false,
  LONG_STRANGLE: false,
  CALENDAR_SPREAD: false,
  PROTECTIVE_PUT: false,
};
const SHORT_GAMMA: Readonly<Record<StructureKind, boolean>> = { ...SHORT_VOL, CALENDAR_SPREAD: true };

function positiveInt(v: number | undefined, dflt: number, name: string): number | Fail {
  const x = v ?? dflt;
  return Number.isInteger(x) && x > 0 ? x : fail('BAD_PARAMS', `${name} must be a positive integer`);
}

function deltaParam(v: number | undefined, dflt: number, name: string): number | Fail {
  const x = v ?? dflt;
  return x > 0 && x < 0.5 ? x : fail('BAD_PARAMS', `${name} must be between 0 and 0.5`);
}

const isFail = (x: unknown): x is Fail => typeof x === 'object' && x !== null && (x as Fail).ok === false;

/** Short a target-delta option and buy the one `width` strikes further out. */
function verticalCredit(
  e: ChainExpiry,
  type: OptionType,
  shortDelta: number,
  width: number,
  step: number,
): [StructureLeg, StructureLeg] | Fail {
  const short = quoteByDelta(e, type, shortDelta);
  if (!short) return fail('NO_STRIKE', `no ${type} near delta ${shortDelta} in ${e.expiry}`);
  const longStrike = type === 'put' ? short.strike - width * step : short.strike + width * step;
  const long = quoteAt(e, longStrike, type);
  if (!long) return fail('NO_STRIKE', `protective ${type} ${longStrike} not listed in ${e.expiry}`);
  return [leg('SELL', short, e.expiry), leg('BUY', long, e.expiry)];
}

function creditBounds(widthPoints: number) {
  return (credit: Decimal): Bounds => ({ maxLoss: dec(widthPoints).minus(credit), maxProfit: credit });
}

export function buildStructure(chain: OptionChain, params: StructureParams): BuildResult {
  const e = chooseExpiry(chain, params.expiry, params.minDaysToExpiry);
  if (!e)
    return fail(
      'NO_EXPIRY',
      params.expiry ? `expiry ${params.expiry} is not in the chain` : 'no listed expiry far enough out',
    );
  const step = chain.strikeStep;

  switch (params.kind) {
    case 'BULL_PUT_SPREAD':
    case 'BEAR_CALL_SPREAD': {
      const sd = deltaParam(params.shortDelta, 0.25, 'shortDelta');
      const w = positiveInt(params.widthStrikes, 4, 'widthStrikes');
      if (isFail(sd)) return sd;
      if (isFail(w)) return w;
      const v = verticalCredit(e, params.kind === 'BULL_PUT_SPREAD' ? 'put' : 'call', sd, w, step);
      if (isFail(v)) return v;
      if (premium(v, false).lessThanOrEqualTo(0)) return fail('NO_CREDIT', 'the spread collects no premium at mids');
      return finish(chain, params.kind, v, creditBounds(w * step));
    }
    case 'IRON_CONDOR': {
      const sd = deltaParam(params.shortDelta, 0.2, 'shortDelta');
      const w = positiveInt(params.widthStrikes, 4, 'widthStrikes');
      if (isFail(sd)) return sd;
      if (isFail(w)) return w;
      const puts = verticalCredit(e, 'put', sd, w, step);
      if (isFail(puts)) return puts;
      const calls = verticalCredit(e, 'call', sd, w, step);
      if (isFail(calls)) return calls;
      const legs = [puts[1], puts[0], calls[0], calls[1]];
      if (premium(legs, false).lessThanOrEqualTo(0)) return fail('NO_CREDIT', 'the condor collects no premium at mids');
      // Only one side can finish in the money, so the loss is bounded by one wing's width.
      return finish(chain, 'IRON_CONDOR', legs, creditBounds(w * step));
    }
    case 'IRON_BUTTERFLY': {
      const w = positiveInt(params.wingStrikes, 6, 'wingStrikes');
      if (isFail(w)) return w;
      const k = e.atmStrike;
      const qs = [
        quoteAt(e, k - w * step, 'put'),
        quoteAt(e, k, 'put'),
        quoteAt(e, k, 'call'),
        quoteAt(e, k + w * step, 'call'),
      ];
      if (qs.some((q) => !q))
        return fail('NO_STRIKE', `butterfly strikes ${k}±${w * step} not all listed in ${e.expiry}`);
      const [lp, sp, sc, lc] = qs as OptionQuote[];
      const legs = [
        leg('BUY', lp!, e.expiry),
        leg('SELL', sp!, e.expiry),
        leg('SELL', sc!, e.expiry),
        leg('BUY', lc!, e.expiry),
      ];
      if (premium(legs, false).lessThanOrEqualTo(0))
        return fail('NO_CREDIT', 'the butterfly collects no premium at mids');
      return finish(chain, 'IRON_BUTTERFLY', legs, creditBounds(w * step));
    }
    case 'LONG_STRADDLE': {
      const c = quoteAt(e, e.atmStrike, 'call');
      const p = quoteAt(e, e.atmStrike, 'put');
      if (!c || !p) return fail('NO_STRIKE', `ATM ${e.atmStrike} not listed`);
      const legs = [leg('BUY', p, e.expiry), leg('BUY', c, e.expiry)];
      return finish(chain, 'LONG_STRADDLE', legs, (credit) => ({ maxLoss: credit.negated(), maxProfit: null }));
    }
    case 'LONG_STRANGLE': {
      const d = deltaParam(params.delta, 0.25, 'delta');
      if (isFail(d)) return d;
      const p = quoteByDelta(e, 'put', d);
      const c = quoteByDelta(e, 'call', d);
      if (!c || !p) return fail('NO_STRIKE', `no wings near delta ${d}`);
      const legs = [leg('BUY', p, e.expiry), leg('BUY', c, e.expiry)];
      return finish(chain, 'LONG_STRANGLE', legs, (credit) => ({ maxLoss: credit.negated(), maxProfit: null }));
    }
    case 'CALENDAR_SPREAD': {
      const type = params.optionType ?? 'call';
      const far = params.farExpiry
        ? chain.expiries.find((x) => x.expiry === params.farExpiry)
        : chain.expiries.find((x) => x.expiry > e.expiry);
      if (!far || far.expiry <= e.expiry) return fail('NO_EXPIRY', 'no far expiry after the near one');
      const offset = params.strikeOffset ?? 0;
      if (!Number.isInteger(offset)) return fail('BAD_PARAMS', 'strikeOffset must be an integer');
      const k = e.atmStrike + offset * step;
      const nq = quoteAt(e, k, type);
      const fq = quoteAt(far, k, type);
      if (!nq || !fq) return fail('NO_STRIKE', `${type} ${k} not listed in both ${e.expiry} and ${far.expiry}`);
      const legs = [leg('SELL', nq, e.expiry), leg('BUY', fq, far.expiry)];
      return finish(chain, 'CALENDAR_SPREAD', legs, (credit) => {
        const debit = credit.negated();
        // Best case: the index pins the strike at the near expiry; the far option then holds
        // its remaining time value (priced at today's far IV, forward = strike).
        const atNear = yearFraction(`${e.expiry}T15:30:00+05:30`, far.expiry);
        const remaining = black76({
          type,
          forward: k,
          strike: k,
          years: atNear,
          rate: chain.rates.rate,
          vol: fq.iv,
        }).price;
        return { maxLoss: debit, maxProfit: dec(remaining.toFixed(2)).minus(debit), estimate: true };
      });
    }
    case 'PROTECTIVE_PUT': {
      const d = deltaParam(params.delta, 0.05, 'delta');
      if (isFail(d)) return d;
      const p = quoteByDelta(e, 'put', d);
      if (!p) return fail('NO_STRIKE', `no put near delta ${d}`);
      const legs = [leg('BUY', p, e.expiry)];
      // Pays at most the premium; gains at most strike − premium (index to zero).
      return finish(chain, 'PROTECTIVE_PUT', legs, (credit) => ({
        maxLoss: credit.negated(),
        maxProfit: dec(p.strike).plus(credit),
      }));
    }
    default: {
      const never: never = params;
      return fail('BAD_PARAMS', `unknown structure ${(never as { kind: string }).kind}`);
    }
  }
}

/** Payoff per unit at expiry for single-expiry structures (used to check the closed-form bounds). */
export function payoffAtExpiry(structure: Structure, settle: number): Rupees {
  let acc = dec(structure.netPremium);
  for (const l of structure.legs) {
    const intrinsic = Math.max(l.type === 'call' ? settle - l.strike : l.strike - settle, 0);
    acc = l.side === 'BUY' ? acc.plus(dec(intrinsic).times(l.ratio)) : acc.minus(dec(intrinsic).times(l.ratio));
  }
  return rupees(acc);
}
