/**
 * bench:decide's own workflow (bundled by the bench alone, never by the platform): n decide
 * activities one after another on the trading queue's worker, so each one's latency through
 * Temporal (scheduled → completed in the history) can be read back.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { DecideInput, DecideResult } from '../activities/decide';

const { decide } = proxyActivities<{ decide(input: DecideInput): Promise<DecideResult> }>({
  startToCloseTimeout: '1 minute',
});

export async function decideMany(input: { n: number; base: Omit<DecideInput, 'decisionId'>; prefix: string }) {
  let trades = 0;
  for (let i = 0; i < input.n; i++) {
    const r = await decide({ ...input.base, decisionId: `${input.prefix}-${i}` });
    if (r.decision.status === 'trade') trades++;
  }
  return { trades };
}
