/**
 * bench:decide's own workflows (bundled by the bench alone, never by the platform): n decide
 * activities one after another on a worker, so each one's latency through Temporal (scheduled →
 * completed in the history) can be read back; and the same as local activities.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { DecideInput, DecideResult } from '../activities/decide';

const { decide } = proxyActivities<{ decide(input: DecideInput): Promise<DecideResult> }>({
  startToCloseTimeout: '1 minute',
});

const local = proxyLocalActivities<{ decide(input: DecideInput): Promise<DecideResult> }>({
  startToCloseTimeout: '1 minute',
});

type Input = { n: number; base: Omit<DecideInput, 'decisionId'>; prefix: string };

async function many(call: typeof decide, input: Input) {
  let trades = 0;
  for (let i = 0; i < input.n; i++) {
    const r = await call({ ...input.base, decisionId: `${input.prefix}-${i}` });
    if (r.decision.status === 'trade') trades++;
  }
  return { trades };
}

export const decideMany = (input: Input) => many(decide, input);
/** The same as local activities: no task-queue round trip per decision, a marker in the history instead. */
export const decideManyLocal = (input: Input) => many(local.decide, input);
