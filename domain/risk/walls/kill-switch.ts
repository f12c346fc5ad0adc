/** Wall 1: a tenant kill switch or a platform/exchange halt stops all new risk at once. Closing trades still pass. */
import type { Wall } from '../types';

export const killSwitchWall: Wall = ({ proposal, market, limits }) => {
  const numbers = { killSwitch: limits.killSwitch, halted: market.halted, intent: proposal.intent };
  if (proposal.intent === 'close') return { wall: 'kill-switch', pass: true, reasonCode: null, numbers };
  if (market.halted) return { wall: 'kill-switch', pass: false, reasonCode: 'TRADING_HALTED', numbers };
  if (limits.killSwitch) return { wall: 'kill-switch', pass: false, reasonCode: 'KILL_SWITCH_ACTIVE', numbers };
  return { wall: 'kill-switch', pass: true, reasonCode: null, numbers };
};
