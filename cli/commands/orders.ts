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
import type { Pool } from 'pg';
import { buildPaperStructure } from '../../broker/paper/structures';
import { withTenant } from '../../db/tenant';
import { INSTRUMENTS, isInstrument } from '../../domain/instruments';
import { STRUCTURE_KINDS, type StructureKind } from '../../domain/strategies';
import { orderPlacementWorkflowId, type OrderPlacementInput } from '../../contracts/orders';
import { reconciliationWorkflowId } from '../../contracts/reconciliation';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { withAppPool, withTemporal } from '../context';
import { UsageError } from '../usage-error';

export function parseStructure(value: string): StructureKind {
  const k = value.trim().toUpperCase().replace(/-/g, '_');
  if (!(STRUCTURE_KINDS as readonly string[]).includes(k)) {
    throw new UsageError(
      `--structure: unknown structure "${value}" (one of: ${STRUCTURE_KINDS.map((s) => s.toLowerCase().replace(/_/g, '-')).join(', ')})`,
    );
  }
  return k as StructureKind;
}

export function parseLots(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0 || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`--lots: expected a positive integer, got "${value}"`);
  return Number(value);
}

function parseInstrument(value: string) {
  const v = value.trim().toUpperCase();
  if (!isInstrument(v))
    throw new UsageError(`--instrument: unknown instrument "${value}" (one of: ${INSTRUMENTS.join(', ')})`);
  return v;
}

async function tenantBySlug(pool: Pool, slug: string): Promise<number> {
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM tenants WHERE slug = $1 AND id <> 0', [slug]);
  if (!rows[0]) throw new UsageError(`--tenant: no tenant with slug "${slug}"`);
  return rows[0].id;
}

const print = (json: boolean, value: unknown, text: string) => console.log(json ? JSON.stringify(value) : text);

export function register(program: Command): void {
  const orders = program.command('orders').description('place structures and inspect the order ledger');

  orders
    .command('place')
    .description(
      'place a structure on the paper broker (legs built from the simulated chain with the strategy templates)',
    )
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption(
      '--structure <name>',
      `one of ${STRUCTURE_KINDS.map((s) => s.toLowerCase().replace(/_/g, '-')).join(', ')}`,
    )
    .option('--instrument <name>', 'NIFTY or BANKNIFTY', 'NIFTY')
    .requiredOption('--lots <n>', 'lots per leg (positive integer)')
    .option('--fill-timeout <seconds>', 'cancel and unwind when legs are not filled by then', '60')
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
        const kind = parseStructure(opts.structure);
        const lots = parseLots(opts.lots);
        const instrument = parseInstrument(opts.instrument);
        const fillTimeoutMs = parseLots(opts.fillTimeout) * 1000;
        const { input } = await withAppPool(async (pool) => {
          const tenantId = await tenantBySlug(pool, opts.tenant);
          const broker = await withTenant(
            pool,
            tenantId,
            async ({ client }) =>
              (
                await client.query<{ broker: string }>('SELECT broker FROM broker_accounts WHERE tenant_id = $1', [
                  tenantId,
                ])
              ).rows[0]?.broker,
          );
          if (broker && broker !== 'paper')
            throw new UsageError(
              `--tenant: "${opts.tenant}" trades through ${broker}; qs orders place uses the paper broker only`,
            );
          const built = await buildPaperStructure(pool, tenantId, kind, instrument, lots).catch((e: Error) => {
            throw new UsageError(`--structure: ${e.message}`);
          });
          const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
          const input: OrderPlacementInput = {
            tenantId,
            decisionId: `cli-${stamp}-${randomUUID().slice(0, 6)}`,
            structure: kind,
            instrument,
            tradingDate: built.tradingDate,
            lots,
            legs: built.legs,
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
            return print(
              !!opts.json,
              { ...started, status: 'started' },
              `started ${workflowId}\n${input.legs.map((l) => `  ${l.side.padEnd(4)} ${l.quantity} ${l.tradingsymbol} @ ${l.limitPrice}`).join('\n')}`,
            );
          }
          const r = await handle.result();
          print(
            !!opts.json,
            { ...started, ...r },
            `${workflowId}: ${r.status}${r.reason ? ` (${r.reason})` : ''}\n${r.legs.map((l) => `  ${l.purpose.padEnd(6)} ${l.side.padEnd(4)} ${l.filledQuantity}/${l.quantity} ${l.tradingsymbol} ${l.status} ${l.averagePrice ?? ''} [${l.tag}]`).join('\n')}`,
          );
        });
      },
    );

  orders
    .command('show')
    .description("the tenant's recent orders (ledger) and trades")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--limit <n>', 'orders to list', '50')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; limit: string; json?: boolean }) => {
      const limit = parseLots(opts.limit);
      await withAppPool(async (pool) => {
        const tenantId = await tenantBySlug(pool, opts.tenant);
        const data = await withTenant(pool, tenantId, async ({ client }) => ({
          orders: (
            await client.query(
              `SELECT tag, decision_id AS "decisionId", leg_index AS "leg", purpose, side, tradingsymbol, quantity, filled_quantity AS "filledQuantity",
                    average_price::text AS "averagePrice", status, broker, broker_order_id AS "brokerOrderId", external, workflow_id AS "workflowId", created_at AS "createdAt"
               FROM orders WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2`,
              [tenantId, limit],
            )
          ).rows,
          trades: (
            await client.query(
              `SELECT id, decision_id AS "decisionId", structure, instrument, status, reason, total_costs::text AS "totalCosts", workflow_id AS "workflowId", created_at AS "createdAt"
               FROM trades WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT $2`,
              [tenantId, limit],
            )
          ).rows,
        }));
        print(
          !!opts.json,
          { tenant: opts.tenant, tenantId, ...data },
          [
            `orders (${data.orders.length}):`,
            ...data.orders.map(
              (o) =>
                `  ${o.tag} ${o.purpose.padEnd(8)} ${o.side.padEnd(4)} ${o.filledQuantity}/${o.quantity} ${o.tradingsymbol} ${o.status}${o.brokerOrderId ? ` #${o.brokerOrderId}` : ''}`,
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
      const tenantId = await withAppPool((pool) => tenantBySlug(pool, opts.tenant));
      await withTemporal(async (client) => {
        const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '');
        const r = await executeWorkflow(client, 'reconciliation', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: reconciliationWorkflowId(tenantId, `manual-${stamp}`),
          args: [{ tenantId, trigger: 'on_demand' }],
          workflowExecutionTimeout: '5 minutes',
        });
        print(
          !!opts.json,
          { tenant: opts.tenant, ...r },
          [
            `${r.clean ? 'clean' : 'NOT CLEAN: new orders are refused until resolved'}: ${r.ledgerOrders} ledger orders, ${r.brokerOrders} broker orders (${r.workflowId})`,
            ...r.mismatches.map((m) => `  ${m.resolved ? 'resolved  ' : 'UNRESOLVED'} ${m.kind}: ${m.detail}`),
          ].join('\n'),
        );
        if (!r.clean) process.exitCode = 1;
      });
    });
}
