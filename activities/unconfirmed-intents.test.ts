import { judgeUnconfirmedIntent, INTENT_GRACE_MS, type IntentContext } from './unconfirmed-intents';

const t0 = Date.parse('2026-05-06T05:00:00Z');
const at = (ms: number) => new Date(t0 + ms);
const intent = (status: string, createdMs = 0, updatedMs = createdMs) => ({
  status,
  workflowId: 'order/1/d1',
  createdAt: at(createdMs),
  updatedAt: at(updatedMs),
});
const ctx = (over: Partial<IntentContext> = {}): IntentContext => ({
  workflowStatus: 'FAILED',
  checkedAt: t0 + 60_000,
  fetchedAt: t0 + 61_000,
  settleMs: 10_000,
  horizonStart: null,
  ...over,
});

describe('an intent the broker never confirmed', () => {
  it('is closed as never sent when it was never sent and its workflow is gone', () => {
    for (const s of ['FAILED', 'TERMINATED', 'COMPLETED', 'TIMED_OUT', 'CANCELLED', 'NOT_FOUND'] as const)
      expect(judgeUnconfirmedIntent(intent('INITIALIZED'), ctx({ workflowStatus: s }))).toMatchObject({
        action: 'close',
        detail: expect.stringContaining(`its workflow is ${s}`),
      });
  });

  it('is in flight while its workflow runs, until the grace period passes', () => {
    expect(judgeUnconfirmedIntent(intent('INITIALIZED'), ctx({ workflowStatus: 'RUNNING' }))).toEqual({
      action: 'in_flight',
    });
    const late = ctx({ workflowStatus: 'RUNNING', fetchedAt: t0 + INTENT_GRACE_MS + 1 });
    expect(judgeUnconfirmedIntent(intent('INITIALIZED'), late)).toMatchObject({ action: 'close' });
  });

  it('stays unconfirmed while a send with an unknown outcome may still appear', () => {
    expect(judgeUnconfirmedIntent(intent('SUBMITTED', 0, 55_000), ctx())).toMatchObject({ action: 'unconfirmed' });
    expect(judgeUnconfirmedIntent(intent('SUBMITTED', 0, 40_000), ctx())).toMatchObject({ action: 'close' });
  });

  it('stays unconfirmed when the broker no longer lists the day it was sent', () => {
    const v = judgeUnconfirmedIntent(intent('SUBMITTED', 0, 0), ctx({ horizonStart: t0 + 1 }));
    expect(v).toMatchObject({ action: 'unconfirmed', detail: expect.stringContaining('order book begins') });
    // Never sent is never sent, whatever the horizon.
    expect(judgeUnconfirmedIntent(intent('INITIALIZED'), ctx({ horizonStart: t0 + 1 }))).toMatchObject({
      action: 'close',
    });
  });

  it('cannot be judged without its workflow state, unless it is newer than the check', () => {
    const unchecked = ctx({ workflowStatus: undefined });
    expect(judgeUnconfirmedIntent(intent('INITIALIZED'), unchecked)).toMatchObject({ action: 'unconfirmed' });
    expect(judgeUnconfirmedIntent(intent('INITIALIZED', 60_500), unchecked)).toEqual({ action: 'in_flight' });
    expect(
      judgeUnconfirmedIntent(intent('INITIALIZED'), ctx({ workflowStatus: undefined, checkedAt: null })),
    ).toMatchObject({
      action: 'unconfirmed',
    });
  });

  it('has no workflow to wait for when the row names none', () => {
    const row = { ...intent('INITIALIZED'), workflowId: null };
    expect(judgeUnconfirmedIntent(row, ctx({ workflowStatus: undefined }))).toMatchObject({ action: 'close' });
  });

  it('is unconfirmed in any other state without a broker order', () => {
    expect(judgeUnconfirmedIntent(intent('PENDING_CANCEL'), ctx())).toMatchObject({ action: 'unconfirmed' });
  });
});
