/**
 * `qs hedge enable|disable|status|roll --tenant <slug>`: the tenant's tail hedge.
 *   enable  [--delta 5] [--window-days 5] [--budget-pct 2] [--instrument NIFTY] [--lots 1]
 *           turns hedging on (audited); `qs schedules apply` then creates its daily schedule;
 *   disable turns it off (the schedule's runs then do nothing);
 *   status  the settings, the protective puts held and this year's hedge spend;
 *   roll    [--date d] runs the daily check now (scheduledHedgeRoll) and prints what it bought
 *           and sold, or why it did nothing.
 */
import { Command } from 'commander';
import {
  changeHedgeSettings,
  hedgeSettingsOf,
  hedgeSpendSince,
  heldHedgePuts,
  type HedgeSettingsPatch,
} from '../../db/hedging';
import { withTenant } from '../../db/tenant';
import { INSTRUMENTS } from '../../domain/instruments';
import { istParts } from '../../domain/dates';
import { hedgeCheckWorkflowId, type HedgePut, type HedgeRollResult } from '../../contracts/hedge';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { executeWorkflow } from '../../runtime/workflow-client';
import { tenantFlag, withAppPool, withTemporal } from '../context';
import { parseChoice, parseDate, parseDecimal, parseInteger, parsePositiveInt } from '../flags';
import { print } from '../output';

const parseDelta = parseDecimal('--delta', { above: 0, max: 49 });
const parseWindow = parseInteger('--window-days', { min: 0, max: 60 });
const parseBudget = parseDecimal('--budget-pct', { above: 0, max: 100 });
const parseLots = parsePositiveInt('--lots', { max: 100 });
const parseInstrument = parseChoice('--instrument', INSTRUMENTS, { normalise: (s) => s.trim().toUpperCase() });
const parseRollDate = parseDate('--date');

/** Checked as a number, kept as typed: the budget is money-adjacent, so it stays a decimal string. */
function budgetPct(raw: string): string {
  parseBudget(raw);
  return raw.trim();
}

interface SettingsFlags {
  delta?: string;
  windowDays?: string;
  budgetPct?: string;
  instrument?: string;
  lots?: string;
}

function settingsPatch(opts: SettingsFlags): HedgeSettingsPatch {
  return {
    ...(opts.delta === undefined ? {} : { targetDelta: parseDelta(opts.delta) }),
    ...(opts.windowDays === undefined ? {} : { windowDays: parseWindow(opts.windowDays) }),
    ...(opts.budgetPct === undefined ? {} : { budgetPct: budgetPct(opts.budgetPct) }),
    ...(opts.instrument === undefined ? {} : { instrument: parseInstrument(opts.instrument) }),
    ...(opts.lots === undefined ? {} : { lots: parseLots(opts.lots) }),
  };
}

const putText = (p: HedgePut) =>
  `${p.tradingsymbol} (${p.instrument} ${p.expiry} ${p.strike} PE, delta ${p.delta.toFixed(3)}, ` +
  `${p.quantity} @ ${p.price} = ₹${p.premium})`;

function rollText(r: HedgeRollResult): string {
  return [
    `${r.status}: ${r.reason}`,
    ...(r.bought ? [`  bought ${putText(r.bought)}`] : []),
    ...r.sold.map((s) => `  sold   ${putText(s)}`),
    ...(r.budget
      ? [`  budget ₹${r.budget.budget}/yr, spent ₹${r.budget.spentThisYear}, roll ₹${r.budget.rollCost}`]
      : []),
  ].join('\n');
}

export function register(program: Command): void {
  const hedge = program.command('hedge').description("the tenant's tail hedge: ~5-delta puts rolled before expiry");
  for (const action of ['enable', 'disable'] as const) {
    const cmd = hedge
      .command(action)
      .description(action === 'enable' ? 'turn the tail hedge on (audited)' : 'turn the tail hedge off (audited)')
      .requiredOption('--tenant <slug>', 'tenant slug')
      .option('--json', 'machine-readable output');
    if (action === 'enable')
      cmd
        .option('--delta <points>', 'target |delta| of the put in delta points (default 5 = 0.05)')
        .option('--window-days <n>', 'roll this many trading days before expiry (default 5)')
        .option('--budget-pct <pct>', 'annual hedge budget, percent of capital (default 2)')
        .option('--instrument <name>', 'NIFTY or BANKNIFTY (default NIFTY)')
        .option('--lots <n>', 'lots of the first hedge (default 1; a roll keeps the quantity it replaces)');
    cmd.action(async (opts: SettingsFlags & { tenant: string; json?: boolean }) => {
      const patch = { ...(action === 'enable' ? settingsPatch(opts) : {}), enabled: action === 'enable' };
      const settings = await withAppPool(async (pool) => {
        const tenantId = (await tenantFlag(pool, opts.tenant)).id;
        return withTenant(pool, tenantId, (tx) => changeHedgeSettings(tx, patch, null));
      });
      print(!!opts.json, { tenant: opts.tenant, ...settings }, () =>
        settings.enabled
          ? `tail hedge ON for ${opts.tenant}: ${settings.instrument} ${settings.targetDelta}-delta puts, rolled ` +
            `${settings.windowDays} trading days before expiry, budget ${settings.budgetPct}% of capital a year ` +
            '(`qs schedules apply` creates its daily schedule)'
          : `tail hedge OFF for ${opts.tenant}`,
      );
    });
  }

  hedge
    .command('status')
    .description('settings, protective puts held, and this year’s hedge spend')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const year = istParts(Date.now()).date.slice(0, 4);
      const status = await withAppPool(async (pool) => {
        const tenantId = (await tenantFlag(pool, opts.tenant)).id;
        return withTenant(pool, tenantId, async (tx) => {
          const settings = (await hedgeSettingsOf(tx)) ?? null;
          return {
            tenant: opts.tenant,
            settings,
            held: settings ? await heldHedgePuts(tx, settings.instrument) : [],
            spentThisYear: await hedgeSpendSince(tx, `${year}-01-01`),
          };
        });
      });
      print(!!opts.json, status, () =>
        [
          status.settings
            ? `${status.settings.enabled ? 'ON' : 'OFF'}: ` +
              `${status.settings.instrument} ${status.settings.targetDelta}-delta, ` +
              `window ${status.settings.windowDays} trading days, budget ${status.settings.budgetPct}%/yr`
            : 'never enabled',
          `spent this year: ₹${status.spentThisYear}`,
          ...status.held.map((p) => `  held ${p.quantity} ${p.tradingsymbol}`),
        ].join('\n'),
      );
    });

  hedge
    .command('roll')
    .description('run the daily hedge check now: roll the puts inside the window, or say why not')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--date <d>', 'trading date to judge the roll window on (default today, IST)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; date?: string; json?: boolean }) => {
      const date = opts.date === undefined ? undefined : parseRollDate(opts.date);
      const tenantId = await withAppPool(async (pool) => (await tenantFlag(pool, opts.tenant)).id);
      const stamp = new Date()
        .toISOString()
        .replace(/[-:.TZ]/g, '')
        .slice(0, 17);
      const r = await withTemporal((client) =>
        executeWorkflow(client, 'scheduledHedgeRoll', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: hedgeCheckWorkflowId(tenantId, stamp),
          args: [{ tenantId, ...(date ? { date } : {}) }],
          workflowExecutionTimeout: '1 hour',
        }),
      );
      print(!!opts.json, { tenant: opts.tenant, ...r }, () => rollText(r));
    });
}
