/**
 * `qs decide --tenant <slug> [--at <ISO time>] [--seed <n>] [--id <decision id>] [--json]`: runs
 * decide on a simulated snapshot in this process (the registry's production models, the
 * tenant's real state) and prints the decision; `qs decisions show <id> --tenant <slug>` prints
 * the why of a past one.
 */
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { ApplicationFailure } from '@temporalio/common';
import { createDecider, decisionView, registryModelSource } from '../../activities/decide';
import { latestReviews, switchedOffFactorNames } from '../../db/factor-pool';
import { decisionProvenance, type TradeProvenance } from '../../db/provenance';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { factorEvaluationWorkflowId, type FactorEvaluationResult } from '../../contracts/factor-evaluation';
import { dataVersionAt } from '../../contracts/models';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { isTradingDay } from '../../domain/calendar';
import { isIsoDate } from '../../domain/dates';
import { startWorkflow, workflowHandle } from '../../runtime/workflow-client';
import { setTenantLimits, tenantLimits, type TenantLimitsRow } from '../../db/tenant-limits';
import { withTenant } from '../../db/tenant';
import { DEFAULT_MAX_OPEN_LOTS, DEFAULT_TENANT_LIMITS } from '../../domain/decision';
import { isMarketOpen } from '../../domain/calendar';
import type { Decision } from '../../domain/decision';
import { INSTRUMENTS } from '../../domain/instruments';
import { withAppPool, withTemporal, tenantFlag } from '../context';
import { parseChoice, parseNonNegativeInt, parsePositiveInt } from '../flags';
import { print } from '../output';
import { UsageError } from '../usage-error';

const parseSeed = parseNonNegativeInt('--seed', { max: 2 ** 31 - 1 });
const parseInstrument = parseChoice('--instrument', INSTRUMENTS, { normalise: (s) => s.trim().toUpperCase() });

export function parseAt(raw: string): string {
  const ms = Date.parse(raw.trim());
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw.trim()) || Number.isNaN(ms))
    throw new UsageError(`--at: expected an ISO time such as 2026-03-10T11:00:00+05:30, got ${JSON.stringify(raw)}`);
  if (!isMarketOpen(ms)) throw new UsageError(`--at: ${raw.trim()} is not inside an NSE trading session`);
  return new Date(ms).toISOString();
}

const DECISION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
function parseDecisionId(raw: string): string {
  if (!DECISION_ID.test(raw)) throw new UsageError(`--id: 1–80 letters, digits, '.', '_', ':' or '-', got ${raw}`);
  return raw;
}

/** The chain below a decision: each trade, its legs' orders at the broker and their fills. */
function chainText(trades: readonly TradeProvenance[]): string[] {
  if (trades.length === 0) return ['  nothing placed'];
  const lines: string[] = [];
  for (const t of trades) {
    lines.push(`  trade ${t.tradeId}: ${t.status}${t.reason ? ` (${t.reason})` : ''}, costs ${t.costs.total}`);
    lines.push(`    placed by ${t.workflowId} run ${t.runId}`);
    for (const o of t.legs) {
      const at = o.limitPrice ? ` @ ${o.limitPrice}` : '';
      const filled = `${o.filledQuantity}/${o.quantity}${o.averagePrice ? ` avg ${o.averagePrice}` : ''}`;
      lines.push(
        `    ${o.purpose} ${o.side} ${o.quantity} ${o.tradingsymbol}${at}: ${o.status} ${filled}` +
          ` (tag ${o.tag}, broker order ${o.brokerOrderId ?? 'none'})`,
      );
      for (const f of o.fills) lines.push(`      fill ${f.id}: ${f.quantity} @ ${f.price} at ${f.filledAt}`);
    }
  }
  return lines;
}

function text(d: Decision): string {
  const lines = [
    `${d.decisionId}: ${d.status.toUpperCase()} ${d.structure ?? ''} ${d.lots ? `× ${d.lots} lots` : ''}`.trim(),
    `  snapshot ${d.snapshotId} at ${d.at}; regime ${d.regime.regime}`,
    ...d.reasons.map((r) => `  reason ${r.code} (${r.source}): ${r.detail}`),
  ];
  if (d.netEv !== null)
    lines.push(`  expected P&L ${d.expectedPnl?.total} − costs ${d.costs?.total} = net EV ${d.netEv}`);
  const s = d.sizing;
  if (s?.lotsByAppetite !== undefined)
    lines.push(
      `  sized ${d.lots} lots: the limits allow ${s.allowed}, the ${s.profileScope} tenant_profile's typical size ` +
        `is ${s.typicalLots} (${s.lotsByAppetite})`,
    );
  for (const g of d.gates) lines.push(`  wall ${g.wall}: ${g.pass ? 'pass' : `FAIL ${g.reasonCode}`}`);
  for (const m of d.models) {
    const scope = (m as { scope?: string | number }).scope;
    lines.push(
      `  model ${m.typeId} v${m.version} ${m.sha256.slice(0, 12)}…${scope === undefined ? '' : ` (${scope})`}`,
    );
  }
  return lines.join('\n');
}

const LIMIT_FLAGS = {
  maxLotsPerOrder: parsePositiveInt('--max-lots-per-order', { max: 10_000 }),
  maxLotsPerDay: parsePositiveInt('--max-lots-per-day', { max: 100_000 }),
  maxOpenLots: parsePositiveInt('--max-open-lots', { max: 1_000_000 }),
};

/** Rupees with at most two decimals, above zero: the daily loss limit. */
export function parseRupees(raw: string): string {
  const t = raw.trim();
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(t) || Number(t) <= 0)
    throw new UsageError(
      `--max-daily-loss: expected rupees above 0 with at most 2 decimals, got ${JSON.stringify(raw)}`,
    );
  return Number(t).toFixed(2);
}

const DEFAULT_LIMITS: TenantLimitsRow = {
  maxLotsPerOrder: DEFAULT_TENANT_LIMITS.maxLotsPerOrder,
  maxLotsPerDay: DEFAULT_TENANT_LIMITS.maxLotsPerDay,
  maxOpenLots: DEFAULT_MAX_OPEN_LOTS,
  maxDailyLoss: DEFAULT_TENANT_LIMITS.maxDailyLoss,
};

const limitsText = (l: TenantLimitsRow, source: string) =>
  `${source} limits: ${l.maxLotsPerOrder} lots per order, ${l.maxLotsPerDay} lots per day, ` +
  `${l.maxOpenLots} leg-lots open, daily loss ${l.maxDailyLoss}`;

function registerLimits(program: Command): void {
  const limits = program.command('limits').description('a tenant’s own risk limits, which decide sizes and refuses by');
  limits
    .command('show')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const row = await withAppPool(async (pool) => {
        const tenantId = (await tenantFlag(pool, opts.tenant)).id;
        return withTenant(pool, tenantId, (tx) => tenantLimits(tx));
      });
      const source = row ? 'tenant' : 'default';
      print(!!opts.json, { source, ...(row ?? DEFAULT_LIMITS) }, () => limitsText(row ?? DEFAULT_LIMITS, source));
    });
  limits
    .command('set')
    .description('set limits (flags not given keep their current value; audited)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--max-lots-per-order <n>', 'lots in one structure')
    .option('--max-lots-per-day <n>', 'lots decided in a day')
    .option('--max-open-lots <n>', 'exposure: leg-lots open at once after a trade')
    .option('--max-daily-loss <rupees>', 'the day’s loss at which new risk stops')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        tenant: string;
        maxLotsPerOrder?: string;
        maxLotsPerDay?: string;
        maxOpenLots?: string;
        maxDailyLoss?: string;
        json?: boolean;
      }) => {
        const given = {
          ...(opts.maxLotsPerOrder !== undefined
            ? { maxLotsPerOrder: LIMIT_FLAGS.maxLotsPerOrder(opts.maxLotsPerOrder) }
            : {}),
          ...(opts.maxLotsPerDay !== undefined ? { maxLotsPerDay: LIMIT_FLAGS.maxLotsPerDay(opts.maxLotsPerDay) } : {}),
          ...(opts.maxOpenLots !== undefined ? { maxOpenLots: LIMIT_FLAGS.maxOpenLots(opts.maxOpenLots) } : {}),
          ...(opts.maxDailyLoss !== undefined ? { maxDailyLoss: parseRupees(opts.maxDailyLoss) } : {}),
        };
        if (Object.keys(given).length === 0)
          throw new UsageError(
            'limits set: give at least one of --max-lots-per-order, --max-lots-per-day, ' +
              '--max-open-lots, --max-daily-loss',
          );
        const after = await withAppPool(async (pool) => {
          const tenantId = (await tenantFlag(pool, opts.tenant)).id;
          return withTenant(pool, tenantId, async (tx) => {
            const next = { ...((await tenantLimits(tx)) ?? DEFAULT_LIMITS), ...given };
            if (next.maxLotsPerOrder > next.maxLotsPerDay)
              throw new UsageError(
                `--max-lots-per-order ${next.maxLotsPerOrder} is above --max-lots-per-day ${next.maxLotsPerDay}`,
              );
            await setTenantLimits(tx, next, { userId: null, actor: 'qs limits set' });
            return next;
          });
        });
        print(!!opts.json, { source: 'tenant', ...after }, () => limitsText(after, 'tenant'));
      },
    );
}

const evaluationText = (r: FactorEvaluationResult) =>
  [
    `week ending ${r.weekEnd} (window ${r.periods.join(', ')}; computed ${r.computedPeriods.length} week(s))` +
      (r.recorded ? '' : ': already reviewed, the stored review'),
    ...r.demoted.map((d) => `  de-promoted ${d.factor}: rolling IC ${d.rollingIc?.toFixed(4) ?? 'n/a'} (${d.reason})`),
    ...r.promoted.map((d) => `  promoted ${d.factor}: rolling IC ${d.rollingIc?.toFixed(4) ?? 'n/a'} (${d.reason})`),
    `  kept ${r.kept}; switched off now: ${r.switchedOff.join(', ') || 'none'}`,
  ].join('\n');

function registerFactors(program: Command): void {
  const factors = program.command('factors').description('the factor pool and its weekly evaluation');
  factors
    .command('pool')
    .description('the switched-off factors and the latest weekly reviews')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { off, reviews } = await withAppPool(async (pool) => ({
        off: await switchedOffFactorNames(pool),
        reviews: await latestReviews(pool, 200),
      }));
      const last = reviews[0]?.period ?? null;
      const latest = reviews.filter((r) => r.period === last);
      print(!!opts.json, { switchedOff: off, lastPeriod: last, reviews: latest }, () =>
        [
          `switched off: ${off.join(', ') || 'none'}`,
          last ? `last review: week ending ${last}` : 'no review yet (qs factors evaluate)',
          ...latest
            .filter((r) => r.action !== 'keep')
            .map((r) => `  ${r.action} ${r.factor}: rolling IC ${r.rollingIc?.toFixed(4) ?? 'n/a'} (${r.reason})`),
        ].join('\n'),
      );
    });
  factors
    .command('evaluate')
    .description('run the weekly FactorEvaluation now (ml worker), once per week end')
    .option('--week-end <date>', 'the trading day the week ends on (default: the last one before today, IST)')
    .option('--wait', 'wait for the result')
    .option('--json', 'machine-readable output')
    .action(async (opts: { weekEnd?: string; wait?: boolean; json?: boolean }) => {
      const weekEnd = opts.weekEnd?.trim() ?? dataVersionAt(Date.now());
      if (!isIsoDate(weekEnd) || !isTradingDay(weekEnd))
        throw new UsageError(`--week-end: expected a trading day YYYY-MM-DD, got ${JSON.stringify(opts.weekEnd)}`);
      await withTemporal(async (client) => {
        const workflowId = factorEvaluationWorkflowId(weekEnd);
        let started = true;
        try {
          await startWorkflow(client, 'factorEvaluation', {
            taskQueue: TASK_QUEUES.ml,
            workflowId,
            args: [{ weekEnd }],
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          started = false;
        }
        if (!opts.wait) {
          const note = started ? 'started' : 'already ran or running for this week';
          return print(!!opts.json, { workflowId, started }, () => `${workflowId}: ${note}`);
        }
        const result = await workflowHandle(client, 'factorEvaluation', workflowId).result();
        print(!!opts.json, { workflowId, ...result }, () => evaluationText(result));
      });
    });
}

export function register(program: Command): void {
  registerLimits(program);
  registerFactors(program);
  program
    .command('decide')
    .description('decide on a simulated snapshot with the production models and the tenant’s state')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--at <time>', 'ISO time inside a trading session (default: now)')
    .option('--seed <n>', 'simulator seed of the market', '7')
    .option('--instrument <name>', 'NIFTY or BANKNIFTY', 'NIFTY')
    .option('--id <decisionId>', 'decision id (default: a new one); a repeated id returns the stored decision')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: { tenant: string; at?: string; seed: string; instrument: string; id?: string; json?: boolean }) => {
        const at = parseAt(opts.at ?? new Date().toISOString());
        const seed = parseSeed(opts.seed);
        const instrument = parseInstrument(opts.instrument);
        const decisionId = opts.id !== undefined ? parseDecisionId(opts.id) : `cli-${randomUUID()}`;
        const result = await withAppPool(async (pool) => {
          const tenantId = (await tenantFlag(pool, opts.tenant)).id;
          const decider = createDecider({ pool, models: registryModelSource(pool) });
          return decider.run({ tenantId, decisionId, at, seed, instrument }).catch((e: unknown) => {
            if (e instanceof ApplicationFailure && e.nonRetryable) throw new UsageError(e.message);
            throw e;
          });
        });
        print(!!opts.json, { ...decisionView(result.decision), created: result.created }, () => text(result.decision));
      },
    );

  program
    .command('decisions')
    .description('past decisions')
    .command('show <id>')
    .description('the why of a past decision and its chain: trades → orders → fills')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { tenant: string; json?: boolean }) => {
      const decisionId = parseDecisionId(id);
      const chain = await withAppPool(async (pool) => {
        const tenantId = (await tenantFlag(pool, opts.tenant)).id;
        return decisionProvenance(pool, tenantId, decisionId);
      });
      if (!chain) throw new UsageError(`<id>: no decision ${id} for tenant ${opts.tenant}`);
      const { why, ...row } = chain.decision;
      const d = why as Decision;
      print(
        !!opts.json,
        {
          ...decisionView(d),
          workflowId: row.workflowId,
          runId: row.runId,
          outcome: row.status,
          provenance: { trades: chain.trades },
        },
        () =>
          [
            text(d),
            `  decided by ${row.workflowId} run ${row.runId}; now ${row.status}`,
            ...chainText(chain.trades),
          ].join('\n'),
      );
    });
}
