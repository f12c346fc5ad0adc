/**
 * `qs orders place | show` and `qs reconcile`:
 *   qs orders place --tenant <slug> --structure <name> --instrument NIFTY --lots <n> [--wait] [--json]
 *     builds the structure's legs from the tenant's simulated paper chain with the domain
 *     strategy templates and starts OrderPlacement (workflow id order/<tenantId>/<decisionId>);
 *   qs orders show --tenant <slug> [--limit n] [--json]   the ledger's recent orders and trades;
 *   qs reconcile --tenant <slug> [--json]                 runs Reconciliation and prints the verdict.
 */
import { executeWorkflow, startWorkflow } from '../../runtime/workflow-client';
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { buildPaperStructure } from '../../broker/paper/structures';
import { brokerNameOf } from '../../db/broker-accounts';
import { recentOrders, recentTrades } from '../../db/ledger-report';
import { dedicatedBrokerQueue } from '../../db/broker-queue';
import { withTenant } from '../../db/tenant';
import { freezeQuantity, INSTRUMENTS, type Instrument } from '../../domain/instruments';
import { STRUCTURE_KINDS } from '../../domain/strategies';
import { orderPlacementWorkflowId, type OrderPlacementInput } from '../../contracts/orders';
import { reconciliationWorkflowId } from '../../contracts/reconciliation';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { withAppPool, withTemporal, tenantFlag } from '../context';
import { constantCase, kebabCase, maxLotsPerOrder, parseChoice, parsePositiveInt } from '../flags';
import { print } from '../output';
import { UsageError } from '../usage-error';

export const parseStructure = parseChoice('--structure', STRUCTURE_KINDS, {
  normalise: constantCase,
  display: kebabCase,
});
const parseInstrument = parseChoice('--instrument', INSTRUMENTS, { normalise: (s) => s.trim().toUpperCase() });

/** Lots per leg: each leg's quantity must fit the exchange freeze quantity in one order. */
export const parseLots = (instrument: Instrument) =>
  parsePositiveInt('--lots', {
    max: maxLotsPerOrder(instrument),
    maxReason: `lots of ${instrument} per order: a leg must fit the exchange freeze quantity`,
  });

/** Longer than a trading session (09:15–15:30) is never what an operator means. */
export const MAX_FILL_TIMEOUT_SECONDS = 22_500;
const parseFillTimeout = parsePositiveInt('--fill-timeout', {
  max: MAX_FILL_TIMEOUT_SECONDS,
  maxReason: 'seconds in a trading session',
});
export const MAX_SHOW_LIMIT = 1000;
const parseLimit = parsePositiveInt('--limit', { max: MAX_SHOW_LIMIT });

export function register(program: Command): void {
  const orders = program.command('orders').description('place structures and inspect the order ledger');

  orders
    .command('place')
    .description(
      'place a structure on the paper broker (legs built from the simulated chain with the strategy templates)',
    )
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--structure <name>', `one of ${STRUCTURE_KINDS.map(kebabCase).join(', ')}`)
    .option('--instrument <name>', 'NIFTY or BANKNIFTY', 'NIFTY')
    .requiredOption(
      '--lots <n>',
      `lots per leg (${INSTRUMENTS.map((i) => `${i} ≤ ${maxLotsPerOrder(i)}`).join(', ')}: the freeze quantity)`,
    )
    .option(
      '--fill-timeout <seconds>',
      `cancel and unwind when legs are not filled by then (≤ ${MAX_FILL_TIMEOUT_SECONDS})`,
      '60',
    )
    .option('--wait', 'wait for the outcome')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        tenant: string;
        structure: string;
        instrument: string;
        lots: string;
        fillTimeout: string;
        wait?: boolean;
        json?: boolean;
      }) => {
        // Every flag is checked before anything is read, written or started.
        const kind = parseStructure(opts.structure);
        const instrument = parseInstrument(opts.instrument);
        const lots = parseLots(instrument)(opts.lots);
        const fillTimeoutMs = parseFillTimeout(opts.fillTimeout) * 1000;
        const { input } = await withAppPool(async (pool) => {
          const tenantId = (await tenantFlag(pool, opts.tenant)).id;
          const broker = await withTenant(pool, tenantId, brokerNameOf);
          if (broker !== 'paper')
            throw new UsageError(
              `--tenant: "${opts.tenant}" trades through ${broker}; qs orders place uses the paper broker only`,
            );
          const built = await buildPaperStructure(pool, tenantId, kind, instrument, lots).catch((e: Error) => {
            throw new UsageError(`--structure: ${e.message}`);
          });
          // The bound above holds for any date; the trading date's own lot size and freeze decide.
          const freeze = freezeQuantity(instrument, built.tradingDate);
          const biggest = Math.max(...built.legs.map((l) => l.quantity));
          if (biggest > freeze)
            throw new UsageError(
              `--lots: ${lots} lots make a ${biggest}-unit leg, above the ${instrument} freeze quantity ` +
                `${freeze} on ${built.tradingDate}`,
            );
          const ownQueue = await withTenant(pool, tenantId, dedicatedBrokerQueue);
          const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
          const input: OrderPlacementInput = {
            tenantId,
            decisionId: `cli-${stamp}-${randomUUID().slice(0, 6)}`,
            structure: kind,
            instrument,
            tradingDate: built.tradingDate,
            lots,
            legs: built.legs,
            ...(ownQueue ? { brokerTaskQueue: ownQueue } : {}),
            options: { fillTimeoutMs },
          };
          return { input };
        });
        const workflowId = orderPlacementWorkflowId(input.tenantId, input.decisionId);
        await withTemporal(async (client) => {
          const handle = await startWorkflow(client, 'orderPlacement', {
            taskQueue: TASK_QUEUES.trading,
            workflowId,
            args: [input],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          });
          const started = {
            workflowId,
            runId: handle.firstExecutionRunId,
            tenant: opts.tenant,
            tenantId: input.tenantId,
            decisionId: input.decisionId,
            structure: kind,
            instrument,
            lots,
            legs: input.legs,
          };
          if (!opts.wait) {
            return print(!!opts.json, { ...started, status: 'started' }, () =>
              [
                `started ${workflowId}`,
                ...input.legs.map((l) => `  ${l.side.padEnd(4)} ${l.quantity} ${l.tradingsymbol} @ ${l.limitPrice}`),
              ].join('\n'),
            );
          }
          const r = await handle.result();
          print(!!opts.json, { ...started, ...r }, () =>
            [
              `${workflowId}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
              ...r.legs.map(
                (l) =>
                  `  ${l.purpose.padEnd(6)} ${l.side.padEnd(4)} ${l.filledQuantity}/${l.quantity} ` +
                  `${l.tradingsymbol} ${l.status} ${l.averagePrice ?? ''} [${l.tag}]`,
              ),
            ].join('\n'),
          );
        });
      },
    );

  orders
    .command('show')
    .description("the tenant's recent orders (ledger) and trades")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--limit <n>', `orders and trades to list (≤ ${MAX_SHOW_LIMIT})`, '50')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; limit: string; json?: boolean }) => {
      const limit = parseLimit(opts.limit);
      await withAppPool(async (pool) => {
        const tenantId = (await tenantFlag(pool, opts.tenant)).id;
        const data = await withTenant(pool, tenantId, async (tx) => ({
          orders: await recentOrders(tx, limit),
          trades: await recentTrades(tx, limit),
        }));
        print(!!opts.json, { tenant: opts.tenant, tenantId, ...data }, () =>
          [
            `orders (${data.orders.length}):`,
            ...data.orders.map(
              (o) =>
                `  ${o.tag} ${o.purpose.padEnd(8)} ${o.side.padEnd(4)} ${o.filledQuantity}/${o.quantity} ` +
                `${o.tradingsymbol} ${o.status}${o.brokerOrderId ? ` #${o.brokerOrderId}` : ''}`,
            ),
            `trades (${data.trades.length}):`,
            ...data.trades.map(
              (t) => `  ${t.id} ${t.structure} ${t.status} costs ₹${t.totalCosts}${t.reason ? ` (${t.reason})` : ''}`,
            ),
          ].join('\n'),
        );
      });
    });

  program
    .command('reconcile')
    .description("reconcile a tenant's broker orders, trades and positions against the ledger (fails closed)")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const tenantId = await withAppPool(async (pool) => (await tenantFlag(pool, opts.tenant)).id);
      await withTemporal(async (client) => {
        const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '');
        const r = await executeWorkflow(client, 'reconciliation', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: reconciliationWorkflowId(tenantId, `manual-${stamp}`),
          args: [{ tenantId, trigger: 'on_demand' }],
          workflowExecutionTimeout: '5 minutes',
        });
        print(!!opts.json, { tenant: opts.tenant, ...r }, () =>
          [
            `${r.clean ? 'clean' : 'NOT CLEAN: new orders are refused until resolved'}: ` +
              `${r.ledgerOrders} ledger orders, ${r.brokerOrders} broker orders (${r.workflowId})`,
            ...r.mismatches.map((m) => `  ${m.resolved ? 'resolved  ' : 'UNRESOLVED'} ${m.kind}: ${m.detail}`),
          ].join('\n'),
        );
        if (!r.clean) process.exitCode = 1;
      });
    });
}
