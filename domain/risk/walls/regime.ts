/** Wall 2: no new short-volatility structure while the market is in panic (vol can keep exploding). */
import type { Wall } from '../types';

export const regimeWall: Wall = ({ proposal, market }) => {
  const numbers = { regime: market.regime, shortVolatility: proposal.shortVolatility };
  const refuse = proposal.intent === 'open' && market.regime === 'panic' && proposal.shortVolatility;
  return { wall: 'regime', pass: !refuse, reasonCode: refuse ? 'SHORT_VOL_IN_PANIC' : null, numbers };
};
