/** What GET /api/v1/tenants answers for each tenant: the platform operators' view (api/routes/tenants.ts, web/). */

export interface TenantDayView {
  date: string;
  running: boolean;
  /**
   * ACTIVE, REDUCING, HALTED, … (the summary's final state once the day is over); a workflow that closed
   * without a summary: its status (TERMINATED, FAILED, …), with no counts.
   */
  state: string;
  paused: boolean;
  phase: string | null;
  decisions: number | null;
  trades: number | null;
  /** Realised + unrealised at the last mark while it runs, net of costs once it is over (rupees). */
  pnl: string | null;
}

export interface TenantView {
  id: number;
  slug: string;
  name: string;
  status: string;
  broker: string;
  liveArmed: boolean;
  /** null: no trading day on that date; `unavailable` when its workflow did not answer in time. */
  day: TenantDayView | null | 'unavailable';
  activeKillSwitches: number;
  /** The tenant's dashboard, when a platform session may open it (an active tenant). */
  dashboard: string | null;
}
