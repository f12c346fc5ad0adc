/**
 * How long workflows keep at an activity. Our own database going away (a restart, a failover, a
 * full disk) is an outage to wait out, not a verdict on the work: activities that need it retry
 * without an attempt cap, bounded by the time the workflow can afford, with backoff capped so
 * the work resumes within seconds of the database coming back. Broker calls may retry the
 * same way because every retry looks its order up by tag before sending anything
 * (activities/broker-calls.ts); a definite broker answer comes back as a result, not an error.
 * A retry policy is not part of a workflow's history commands: changing one is replay-safe.
 */
import {
  patched,
  proxyActivities,
  proxyLocalActivities,
  type ActivityInterfaceFor,
  type ActivityOptions,
  type LocalActivityInterfaceFor,
  type LocalActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';

/** Backoff to 10 s and no attempt cap: the timeout around it is the budget. */
export const OUTAGE_RETRY: RetryPolicy = {
  initialInterval: '500 ms',
  backoffCoefficient: 2,
  maximumInterval: '10 seconds',
};

/** A money-moving workflow outlasts a half-hour outage of its own database before it gives up. */
export const MONEY_BUDGET: Duration = '30 minutes';

/**
 * Database-only activities: each attempt is short (a dead worker is noticed quickly), attempts
 * continue until the budget is spent.
 */
export function databaseActivityOptions(budget: Duration = MONEY_BUDGET): ActivityOptions {
  return { startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: budget, retry: OUTAGE_RETRY };
}

/**
 * The same as local activities. A local activity retries inside the workflow task; a backoff
 * past localRetryThreshold becomes a durable timer instead, so a long outage neither holds a
 * workflow task open nor loses its place when the worker restarts.
 */
export function databaseLocalActivityOptions(budget: Duration = MONEY_BUDGET): LocalActivityOptions {
  return {
    startToCloseTimeout: '10 seconds',
    scheduleToCloseTimeout: budget,
    localRetryThreshold: '5 seconds',
    retry: OUTAGE_RETRY,
  };
}

/**
 * Short database-only activities, run as local activities (no round trip through the server)
 * when `patchId` is in effect; histories recorded before it keep their scheduled activities.
 * Call from workflow code (patched() needs the workflow context), once per workflow run.
 */
export function databaseActivities<A>(
  patchId: string,
  budget: Duration = MONEY_BUDGET,
): LocalActivityInterfaceFor<A> | ActivityInterfaceFor<A> {
  return patched(patchId)
    ? proxyLocalActivities<A>(databaseLocalActivityOptions(budget))
    : proxyActivities<A>(databaseActivityOptions(budget));
}

/** Broker calls: the same outage rule; a missing intent (NoIntent) is a bug, not an outage. */
export const BROKER_RETRY: RetryPolicy = { ...OUTAGE_RETRY, nonRetryableErrorTypes: ['NoIntent'] };
