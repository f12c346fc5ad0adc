/**
 * `qs day start|status|pause|resume|reduce|halt|flatten --tenant <slug> [--date d] …`: a
 * tenant's TradingDay workflow (id trading-day/<tenantId>/<date>).
 *   start   [--accelerated] [--cadence n] [--seed n] [--wait] [--json]   a repeated start attaches
 *           to the day already running (the id is the business key); --wait prints the summary
 *   status  [--json]                                                     the workflow's status query
 *   pause | resume | reduce | halt | flatten [--by who] [--reason r]    an update; a request the
 *           day refuses (flatten a flat book, resume a day that is over) prints the reason, exit 2
 */
import os from 'node:os';
import { Command } from 'commander';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { startWorkflow, workflowHandle, workflowRefusal } from '../../runtime/workflow-client';
import { TASK_QUEUES } from '../../contracts/task-queues';
import {
  DAY_UPDATES,
  dayStatusQuery,
  tradingDayWorkflowId,
  type DayStatus,
  type DaySummary,
  type TradingDayInput,
} from '../../contracts/trading-day';
import { istParts } from '../../domain/dates';
import { MAX_CADENCE_MINUTES, MIN_CADENCE_MINUTES } from '../../domain/trading-day';
import { withAppPool, withTemporal, tenantFlag } from '../context';
import { parseDate, parseInteger, parseNonNegativeInt } from '../flags';
import { print } from '../output';
import { UsageError } from '../usage-error';

const parseDay = parseDate('--date');
const parseCadence = parseInteger('--cadence', { min: MIN_CADENCE_MINUTES, max: MAX_CADENCE_MINUTES });
const parseSeed = parseNonNegativeInt('--seed', { max: 2 ** 31 - 1 });

interface DayOpts {
  tenant: string;
  date?: string;
  json?: boolean;
}

async function dayTarget(opts: DayOpts): Promise<{ tenantId: number; date: string; workflowId: string }> {
  const date = parseDay(opts.date ?? istParts(Date.now()).date);
  const tenantId = await withAppPool(async (pool) => (await tenantFlag(pool, opts.tenant)).id);
  return { tenantId, date, workflowId: tradingDayWorkflowId(tenantId, date) };
}

/** Temporal's answers a user caused, as one line: a validator's refusal, a day that is over or never began. */
async function asDayUsage<T>(client: Client, workflowId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const r = await workflowRefusal(client, workflowId, e);
    if (!r) throw e;
    if (r.kind === 'refused') throw new UsageError(`refused: ${r.reason}`);
    throw new UsageError(
      r.kind === 'closed'
        ? `the trading day ${workflowId} is over (${r.status})`
        : `no trading day ${workflowId} (start it first)`,
    );
  }
}

const countsText = (c: Readonly<Record<string, number>> | undefined) =>
  Object.entries(c ?? {})
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');

function statusText(s: DayStatus): string {
  const refusals = countsText(s.refusals);
  return [
    `${s.workflowId}: ${s.state}${s.paused ? ' (paused)' : ''} ` +
      `${s.phase}${s.stateReason ? ` — ${s.stateReason}` : ''}`,
    `  ${s.mode}, every ${s.cadenceMinutes} min; next tick ${s.nextTick ?? 'none'}`,
    `  decisions ${s.decisions}, trades ${s.trades}, P&L ₹${s.pnl}${refusals ? `; refusals ${refusals}` : ''}`,
    ...s.positions.map((p) => `  ${p.tradingsymbol} ${p.quantity} @ ${p.averagePrice} mark ${p.mark ?? '-'}`),
    ...(s.openStructures ?? []).map(
      (o) => `  holding ${o.structure} × ${o.lots} from ${o.decisionId}${o.exitTried ? ' (exit did not fill)' : ''}`,
    ),
    ...(s.models ?? []).map((m) => `  model ${m.typeId} v${m.version} ${m.sha256.slice(0, 12)}… (pinned at the open)`),
  ].join('\n');
}

const winRate = (r: number | null | undefined) => (r === null || r === undefined ? '-' : `${(r * 100).toFixed(1)}%`);

function summaryText(s: DaySummary): string {
  return [
    `${s.workflowId}: ${s.status}${s.reason ? ` (${s.reason})` : ''}, final state ${s.finalState}`,
    `  decisions ${s.decisions}, trades ${s.trades}, refusals ${s.refusalCount}`,
    `  P&L ₹${s.pnl} (gross ₹${s.grossPnl} − costs ₹${s.costs}), max drawdown ₹${s.maxDrawdown}`,
    `  closed ${s.closedStructures ?? 0} structures; win rate ${winRate(s.winRate)}, ` +
      `average winner ₹${s.averageWinner ?? '-'}, loser ₹${s.averageLoser ?? '-'}; ` +
      `exits ${countsText(s.exits) || 'none'}`,
    `  squared off ${s.squaredOff} legs; cancelled ${s.cancelledAtClose ?? 0} working orders at the close; ` +
      `reconciliation ${s.reconciliationClean === null ? '-' : s.reconciliationClean ? 'clean' : 'NOT clean'}`,
  ].join('\n');
}

const who = (by?: string) => by ?? `cli:${os.userInfo().username}`;

export function register(program: Command): void {
  const day = program.command('day').description("a tenant's trading day (TradingDay workflow)");

  day
    .command('start')
    .description('start (or attach to) the trading day')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--date <d>', 'trading date YYYY-MM-DD (default: today in IST)')
    .option('--accelerated', 'market time decoupled from wall time, over the paper simulator')
    .option(
      '--cadence <minutes>',
      `minutes of market time between decisions (${MIN_CADENCE_MINUTES}–${MAX_CADENCE_MINUTES})`,
      '5',
    )
    .option('--seed <n>', 'simulator seed of the market decide sees', '7')
    .option('--wait', 'wait for the day to end and print its summary')
    .option('--json', 'machine-readable output')
    .action(async (opts: DayOpts & { accelerated?: boolean; cadence: string; seed: string; wait?: boolean }) => {
      const cadenceMinutes = parseCadence(opts.cadence);
      const seed = parseSeed(opts.seed);
      const { tenantId, date, workflowId } = await dayTarget(opts);
      const input: TradingDayInput = {
        tenantId,
        date,
        mode: opts.accelerated ? 'accelerated' : 'live',
        cadenceMinutes,
        seed,
      };
      await withTemporal(async (client) => {
        let attached = false;
        const handle = await startWorkflow(client, 'tradingDay', {
          taskQueue: TASK_QUEUES.trading,
          workflowId,
          args: [input],
        }).catch((e: unknown) => {
          if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
          attached = true;
          return workflowHandle(client, 'tradingDay', workflowId);
        });
        if (!opts.wait)
          return print(
            !!opts.json,
            { workflowId, tenantId, date, mode: input.mode, attached, status: 'started' },
            () => (attached ? `${workflowId} is already running` : `started ${workflowId} (${input.mode})`),
          );
        const summary = await handle.result();
        print(!!opts.json, summary, () => summaryText(summary));
      });
    });

  day
    .command('status')
    .description("the day's state, book, P&L, decisions and refusals so far, next tick")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--date <d>', 'trading date YYYY-MM-DD (default: today in IST)')
    .option('--json', 'machine-readable output')
    .action(async (opts: DayOpts) => {
      const { workflowId } = await dayTarget(opts);
      await withTemporal(async (client) => {
        const s = await asDayUsage(client, workflowId, () =>
          workflowHandle(client, 'tradingDay', workflowId).query(dayStatusQuery),
        );
        print(!!opts.json, s, () => statusText(s));
      });
    });

  const verbs: Record<keyof typeof DAY_UPDATES, string> = {
    pause: 'stop deciding until resumed',
    resume: 'back to ACTIVE and running',
    reduce: 'reduce-only: exits and cancels, no new entries',
    halt: 'HALTED: nothing new (cancels still go)',
    flatten: 'close every open position now through OrderPlacement (waits for it)',
  };
  for (const [verb, description] of Object.entries(verbs) as Array<[keyof typeof DAY_UPDATES, string]>) {
    day
      .command(verb)
      .description(description)
      .requiredOption('--tenant <slug>', 'tenant slug')
      .option('--date <d>', 'trading date YYYY-MM-DD (default: today in IST)')
      .option('--by <who>', 'who asks (recorded and audited; default cli:<user>)')
      .option('--reason <text>', 'why (recorded and audited)')
      .option('--json', 'machine-readable output')
      .action(async (opts: DayOpts & { by?: string; reason?: string }) => {
        const { workflowId } = await dayTarget(opts);
        await withTemporal(async (client) => {
          const meta = { by: who(opts.by), ...(opts.reason ? { reason: opts.reason } : {}) };
          const s = await asDayUsage(client, workflowId, () =>
            workflowHandle(client, 'tradingDay', workflowId).executeUpdate(DAY_UPDATES[verb], { args: [meta] }),
          );
          print(!!opts.json, s, () => statusText(s));
        });
      });
  }
}
