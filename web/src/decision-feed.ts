/** The decision feed's rows, folded from the `decisions` channel's events (pure: unit-tested). */
import type { DecisionEvent, DecisionRow } from './types';

/** Rows kept on the page. */
export const MAX_ROWS = 200;
/** The trading day places an entry's exit as its own decision, `<entry>-exit`. */
const EXIT = '-exit';

const fromEvent = (e: DecisionEvent): DecisionRow => ({
  id: e.decisionId,
  tradingDate: e.tradingDate,
  status: e.status,
  structure: e.structure,
  instrument: e.instrument,
  lots: e.lots,
  netEv: e.netEv,
  workflowId: e.workflowId,
  createdAt: e.createdAt,
});

/** A new decision joins at the top; a status change (or a repeat) replaces its row where it is. */
export function foldDecisionEvent(rows: readonly DecisionRow[], event: DecisionEvent): DecisionRow[] {
  const row = fromEvent(event);
  if (rows.some((x) => x.id === row.id)) return rows.map((x) => (x.id === row.id ? row : x));
  return [row, ...rows].slice(0, MAX_ROWS);
}

/** The entries whose exit filled: closed. */
export const closedEntries = (rows: readonly DecisionRow[]): Set<string> =>
  new Set(rows.filter((d) => d.id.endsWith(EXIT) && d.status === 'filled').map((d) => d.id.slice(0, -EXIT.length)));
