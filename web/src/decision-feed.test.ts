import { closedEntries, foldDecisionEvent } from './decision-feed';
import type { DecisionEvent, DecisionRow } from './types';

const event = (decisionId: string, status: string, extra: Partial<DecisionEvent> = {}): DecisionEvent => ({
  decisionId,
  tradingDate: '2026-05-06',
  status,
  structure: 'bear_call_spread',
  instrument: 'NIFTY',
  lots: 2,
  netEv: '240.19',
  workflowId: 'wf',
  createdAt: '2026-05-06T04:00:00Z',
  ...extra,
});
const ids = (rows: DecisionRow[]) => rows.map((r) => `${r.id}:${r.status}`);

describe('the decision feed folded from events', () => {
  it('a new decision joins at the top; a status change updates its row in place', () => {
    let rows = foldDecisionEvent([], event('d1', 'trade'));
    rows = foldDecisionEvent(rows, event('d2', 'abstain'));
    expect(ids(rows)).toEqual(['d2:abstain', 'd1:trade']);
    rows = foldDecisionEvent(rows, event('d1', 'filled', { kind: 'status', previousStatus: 'trade', orders: [] }));
    expect(ids(rows)).toEqual(['d2:abstain', 'd1:filled']);
  });

  it('an entry whose exit filled is closed; one whose exit is still placing is not', () => {
    let rows = [event('d1', 'filled'), event('d2', 'filled')].reduce(foldDecisionEvent, [] as DecisionRow[]);
    rows = foldDecisionEvent(rows, event('d1-exit', 'placing'));
    rows = foldDecisionEvent(rows, event('d2-exit', 'placing'));
    expect([...closedEntries(rows)]).toEqual([]);
    rows = foldDecisionEvent(rows, event('d1-exit', 'filled', { kind: 'status' }));
    expect([...closedEntries(rows)]).toEqual(['d1']);
  });
});
