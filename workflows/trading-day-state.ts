/**
 * TradingDay's in-memory state and its operator interface: the status query and the updates
 * (pause, resume, reduce, halt, flatten, setCadence), each with a validator from
 * domain/trading-day that rejects a request that makes no sense now, with the reason. A change
 * records who asked, is audited, and moves the TradingState search attribute.
 */
import {
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { TradingDayActivities } from '../activities/trading-day';
import { TradingStateAttr } from '../contracts/search-attributes';
import {
  dayStatusQuery,
  flattenDayUpdate,
  haltDayUpdate,
  pauseDayUpdate,
  reduceDayUpdate,
  resumeDayUpdate,
  setCadenceUpdate,
  type CarriedDay,
  type DayRequestMeta,
  type DayStatus,
  type TradingDayInput,
} from '../contracts/trading-day';
import {
  applyRequest,
  countInto,
  DEFAULT_CADENCE_MINUTES,
  firstTickMinute,
  validateRequest,
  type DayControl,
  type DayPhase,
  type DayRequest,
  tickInstant,
} from '../domain/trading-day';
import { databaseActivityOptions } from './retry-budgets';

const acts = proxyActivities<TradingDayActivities>(databaseActivityOptions());

export class DayRun {
  c: CarriedDay;
  phase: DayPhase = 'pre_open';
  /** Current market minute (the tick being worked, or the one just done). */
  minute: number;
  readonly mode: 'live' | 'accelerated';
  /** Flattens asked for and carried out, so a flatten update can wait for its own. */
  flattensAsked: number;
  /** The day's orders found still working at the close and cancelled. */
  cancelledAtClose = 0;

  constructor(readonly input: TradingDayInput) {
    const cadence = input.cadenceMinutes ?? DEFAULT_CADENCE_MINUTES;
    this.mode = input.mode ?? 'live';
    const fresh: CarriedDay = {
      state: 'ACTIVE',
      stateReason: null,
      paused: false,
      cadenceMinutes: cadence,
      nextMinute: firstTickMinute(cadence),
      decisionIds: [],
      placementIds: [],
      trades: 0,
      refusals: {},
      openingValue: '0.00',
      pnl: '0.00',
      positions: [],
      pnlPath: [],
      changes: [],
      flattens: 0,
      squaredOff: 0,
      openStructures: [],
      closedPnls: [],
      exits: {},
      models: [],
    };
    // A state carried from a run of an older version lacks the newer fields: they start empty.
    this.c = input.carried ? { ...fresh, ...input.carried } : fresh;
    if (input.carried) this.phase = 'open';
    this.flattensAsked = this.c.flattens;
    this.minute = this.c.nextMinute ?? firstTickMinute(this.c.cadenceMinutes);
  }

  get control(): DayControl {
    return {
      state: this.c.state,
      paused: this.c.paused,
      phase: this.phase,
      cadenceMinutes: this.c.cadenceMinutes,
      stateReason: this.c.stateReason,
      flattenPending: this.flattensAsked > this.c.flattens,
      openPositions: this.c.positions.length,
    };
  }

  set(patch: Partial<CarriedDay>): void {
    this.c = { ...this.c, ...patch };
  }

  refuse(key: string): void {
    this.set({ refusals: countInto(this.c.refusals, key) });
  }

  status(): DayStatus {
    const { tenantId, date } = this.input;
    return {
      workflowId: workflowInfo().workflowId,
      tenantId,
      date,
      mode: this.mode,
      state: this.c.state,
      stateReason: this.c.stateReason,
      paused: this.c.paused,
      phase: this.phase,
      cadenceMinutes: this.c.cadenceMinutes,
      nextTick: this.phase === 'open' && this.c.nextMinute !== null ? tickInstant(date, this.c.nextMinute) : null,
      decisions: this.c.decisionIds.length,
      trades: this.c.trades,
      refusals: this.c.refusals,
      positions: this.c.positions,
      pnl: this.c.pnl,
      changes: this.c.changes,
      openStructures: this.c.openStructures,
      exits: this.c.exits,
      models: this.c.models,
    };
  }

  /** Apply a validated change: state, search attribute, the record of who asked, the audit row. */
  async change(r: DayRequest, meta: DayRequestMeta): Promise<void> {
    const before = this.c.state;
    const next = applyRequest(this.control, r, meta.reason ?? null);
    const at = tickInstant(this.input.date, this.minute);
    const reason = meta.reason ?? null;
    this.set({
      state: next.state,
      stateReason: next.stateReason,
      paused: next.paused,
      cadenceMinutes: next.cadenceMinutes,
      changes: [...this.c.changes, { kind: r.kind, by: meta.by, reason, at }],
    });
    if (r.kind === 'flatten') this.flattensAsked++;
    if (this.c.state !== before) upsertSearchAttributes([{ key: TradingStateAttr, value: this.c.state }]);
    await acts.auditDayChange({
      tenantId: this.input.tenantId,
      changeId: uuid4(),
      workflowId: workflowInfo().workflowId,
      kind: r.kind === 'setCadence' ? `setCadence:${r.minutes}` : r.kind,
      by: meta.by,
      reason,
      at,
      state: this.c.state,
    });
  }

  /** The state the day starts in after its pre-open checks (not an operator change: no validator). */
  startAs(state: 'ACTIVE' | 'HALTED', reason: string | null): void {
    this.set({ state, stateReason: reason });
    upsertSearchAttributes([{ key: TradingStateAttr, value: state }]);
  }
}

const needsBy = (meta: DayRequestMeta | undefined) => {
  if (!meta || typeof meta.by !== 'string' || meta.by.trim() === '') throw new Error('by: who asks is required');
};

export function registerHandlers(day: DayRun): void {
  setHandler(dayStatusQuery, () => day.status());
  const simple = [
    [pauseDayUpdate, { kind: 'pause' }],
    [resumeDayUpdate, { kind: 'resume' }],
    [reduceDayUpdate, { kind: 'reduce' }],
    [haltDayUpdate, { kind: 'halt' }],
  ] as const;
  for (const [def, request] of simple) {
    setHandler(
      def,
      async (meta) => {
        await day.change(request, meta);
        return day.status();
      },
      {
        validator: (meta) => {
          needsBy(meta);
          const why = validateRequest(day.control, request);
          if (why) throw new Error(why);
        },
      },
    );
  }
  setHandler(
    flattenDayUpdate,
    async (meta) => {
      await day.change({ kind: 'flatten' }, meta);
      // Answer once the loop has carried this flatten out (or the day ended first).
      const mine = day.flattensAsked;
      await condition(() => day.c.flattens >= mine || day.phase === 'closed');
      return day.status();
    },
    {
      validator: (meta) => {
        needsBy(meta);
        const why = validateRequest(day.control, { kind: 'flatten' });
        if (why) throw new Error(why);
      },
    },
  );
  setHandler(
    setCadenceUpdate,
    async (req) => {
      await day.change({ kind: 'setCadence', minutes: req.minutes }, req);
      return day.status();
    },
    {
      validator: (req) => {
        needsBy(req);
        const why = validateRequest(day.control, { kind: 'setCadence', minutes: req?.minutes });
        if (why) throw new Error(why);
      },
    },
  );
}
