/**
 * Option chains from a market snapshot: for each listed expiry, strikes around the forward
 * priced with Black-76 on the snapshot's vol surface, quoted with a bid/ask spread that widens
 * in the wings and under stress, displayed size that thins under stress, and volume and open
 * interest that concentrate near the money and near expiry.
 *
 * The chain is a pure function of the snapshot: its "noise" (volume, OI, depth) comes from a
 * hash of the contract and the minute rather than a random stream, so a replayed CSV day gives
 * exactly the chains the simulator gave.
 */
import { listExpiries, yearFraction } from '../calendar';
import { instrumentSpec } from '../instruments';
import { ceilToTick, floorToTick, roundToTick } from '../money';
import { black76 } from '../pricing/black76';
import { atmVolAt, surfaceVol } from '../pricing/vol-surface';
import { hashUniform } from '../random';
import type { ChainExpiry, ChainOptions, MarketSnapshot, OptionChain, OptionQuote } from './types';

/** Base half-spread as a fraction of premium at the money, in an orderly market. */
const BASE_HALF_SPREAD = 0.0015;
/** Day volume (lots) of an ATM contract of the nearest expiry in a calm market. */
const ATM_DAY_VOLUME_LOTS = { NIFTY: 400_000, BANKNIFTY: 60_000 } as const;
const ATM_OI_LOTS = { NIFTY: 120_000, BANKNIFTY: 25_000 } as const;

export function defaultExpiries(snapshot: Pick<MarketSnapshot, 'instrument' | 'date'>): string[] {
  const cadence = instrumentSpec(snapshot.instrument, snapshot.date).expiryCadence;
  return listExpiries(snapshot.instrument, snapshot.date, cadence === 'weekly' ? 4 : 3);
}

export function buildChain(snapshot: MarketSnapshot, options: ChainOptions = {}): OptionChain {
  const spec = instrumentSpec(snapshot.instrument, snapshot.date);
  const rates = options.rates ?? snapshot.rates;
  const expiries = options.expiries ?? defaultExpiries(snapshot);
  const lot = spec.lotSize;
  const tick = spec.tickSize;
  const step = spec.strikeStep;
  const minuteFrac = Math.min(Math.max(snapshot.minute / 375, 0), 1);

  const chainExpiries: ChainExpiry[] = expiries.map((expiry, expiryIndex) => {
    const years = yearFraction(snapshot.timestamp, expiry);
    const forward = snapshot.spot * Math.exp((rates.rate - rates.dividendYield) * years);
    const atmStrike = Math.round(forward / step) * step;
    const atmVol = atmVolAt(snapshot.surface, years);
    const sdPoints = forward * atmVol * Math.sqrt(Math.max(years, 1 / 365));
    const each = options.strikesEachSide ?? Math.min(150, Math.max(10, Math.ceil((3.5 * sdPoints) / step)));
    // Near expiries trade far more; the weekly in its last days most of all.
    const expiryWeight = 1 / (1 + expiryIndex * 1.5);
    const quotes: OptionQuote[] = [];
    for (let i = -each; i <= each; i++) {
      const strike = atmStrike + i * step;
      if (strike <= 0) continue;
      const vol = surfaceVol(snapshot.surface, forward, strike, years);
      const z = Math.log(strike / forward) / (atmVol * Math.sqrt(Math.max(years, 1 / 365)));
      for (const type of ['call', 'put'] as const) {
        const g = black76({ type, forward, strike, years, rate: rates.rate, vol });
        const key = `${snapshot.instrument}|${expiry}|${strike}|${type}`;
        const mid = roundToTick(g.price, tick);
        const half = Math.max(
          tick / 2,
          g.price * BASE_HALF_SPREAD * (1 + 0.4 * Math.abs(z)) * (1 + 2 * snapshot.stress),
        );
        let bid = g.price - half < tick ? 0 : floorToTick(g.price - half, tick);
        let ask = Math.max(ceilToTick(g.price + half, tick), tick);
        if (bid >= ask) bid = Number((ask - tick).toFixed(2));
        if (bid < 0) bid = 0;
        ask = Math.max(ask, Number((bid + tick).toFixed(2)));
        const liquidity = Math.exp(-0.35 * z * z) * expiryWeight;
        const depthLots = Math.max(
          1,
          Math.round((5 + 60 * hashUniform(`${key}|${snapshot.minute}|d`)) * liquidity * (1 - 0.7 * snapshot.stress)),
        );
        const volLots = Math.round(
          ATM_DAY_VOLUME_LOTS[snapshot.instrument] *
            liquidity *
            (1 + 1.5 * snapshot.stress) *
            Math.pow(minuteFrac, 0.9) *
            (0.6 + 0.8 * hashUniform(`${key}|${snapshot.date}|v`)),
        );
        const oiLots = Math.round(
          ATM_OI_LOTS[snapshot.instrument] *
            Math.exp(-0.2 * z * z) *
            expiryWeight *
            (0.5 + hashUniform(`${key}|oi`)) *
            (1 + 0.1 * minuteFrac * (hashUniform(`${key}|${snapshot.date}|oid`) - 0.5)),
        );
        quotes.push({
          strike,
          type,
          bid,
          ask,
          mid,
          bidQty: bid > 0 ? depthLots * lot : 0,
          askQty: depthLots * lot,
          iv: vol,
          delta: g.delta,
          gamma: g.gamma,
          vega: g.vega,
          theta: g.theta,
          volume: volLots * lot,
          oi: oiLots * lot,
        });
      }
    }
    return { expiry, years, forward, atmStrike, atmVol, quotes };
  });

  return {
    instrument: snapshot.instrument,
    date: snapshot.date,
    timestamp: snapshot.timestamp,
    spot: snapshot.spot,
    regime: snapshot.regime,
    stress: snapshot.stress,
    rates,
    lotSize: lot,
    strikeStep: step,
    tickSize: tick,
    expiries: chainExpiries,
  };
}

/** The quote for a contract in a chain, if listed. */
export function findQuote(
  chain: OptionChain,
  expiry: string,
  strike: number,
  type: 'call' | 'put',
): OptionQuote | undefined {
  const e = chain.expiries.find((x) => x.expiry === expiry);
  return e?.quotes.find((q) => q.strike === strike && q.type === type);
}
