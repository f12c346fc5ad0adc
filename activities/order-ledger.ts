/**
 * OrderPlacement's ledger activities (trading queue, database only): the fail-closed gate,
 * order intents, and the trade row that heads the provenance chain (with costs from the
 * domain cost engine on the actual fills).
 */
import type { Pool } from 'pg';
import { Context } from '@temporalio/activity';
import { auditIn } from '../db/audit';
import { brokerNameOf } from '../db/broker-accounts';
import { recordDecision, setDecisionOutcome } from '../db/decisions';
import { closeNeverSent, filledOrders, recordOrderIntents, unsentIntentTags, type OrderIntent } from '../db/ledger';
import { withTenant, type TenantTx } from '../db/tenant';
import { upsertTrade } from '../db/trades';
import { activeKillSwitches, reconciliationState, tenantFlags } from '../db/trading-state';
import { computeCosts, type CostLeg } from '../domain/costs';
import { lotSize, type Instrument } from '../domain/instruments';
import type { OrderIntentKind, StructureOutcome } from '../contracts/orders';

export interface GateInput {
  tenantId: number;
  decisionId: string;
  instrument: string;
  structure: string;
  /** Closing orders only take risk off: a kill switch or a suspension does not stop them. */
  intent?: OrderIntentKind;
}

export interface GateVerdict {
  allowed: boolean;
  reasons: string[];
}

export interface IntentsInput {
  tenantId: number;
  decision?: { id: string; tradingDate: string; structure: string; instrument: string; lots: number };
  orders: Array<Omit<OrderIntent, 'broker' | 'workflowId' | 'runId'>>;
}

export interface RecordTradeInput {
  tenantId: number;
  decisionId: string;
  structure: string;
  instrument: string;
  tradingDate: string;
  status: StructureOutcome;
  reason: string | null;
  legTags: string[];
  allTags: string[];
}

function workflowOf(): { workflowId: string; runId: string } {
  const wf = Context.current().info.workflowExecution;
  if (!wf) throw new Error('this activity must run inside a workflow');
  return wf;
}

export interface RecordedTrade {
  tradeId: string;
  totalCosts: string;
}

/**
 * The trade row for a structure (idempotent on the decision id: a repeat overwrites it with the
 * same facts) with exact costs of what filled. The ledger activity's body, and the broker
 * activity's when a whole structure filled in one placeLegs, under the same placement workflow.
 */
export async function recordTradeRow(pool: Pool, input: RecordTradeInput): Promise<RecordedTrade> {
  const wf = workflowOf();
  return withTenant(pool, input.tenantId, async (tx) => {
    const costLegs: CostLeg[] = (await filledOrders(tx, input.allTags)).map((r) => {
      const instrument = r.instrument as Instrument;
      return {
        instrument,
        kind: 'option',
        side: r.side,
        lots: r.quantity / lotSize(instrument, input.tradingDate),
        price: (Number(r.notional) / r.quantity).toFixed(4),
        date: input.tradingDate,
      };
    });
    const costs = costLegs.length > 0 ? computeCosts(costLegs) : null;
    const totalCosts = costs?.total ?? '0.00';
    await upsertTrade(tx, {
      id: input.decisionId,
      decisionId: input.decisionId,
      workflowId: wf.workflowId,
      runId: wf.runId,
      structure: input.structure,
      instrument: input.instrument,
      status: input.status,
      reason: input.reason,
      legTags: input.allTags,
      costBreakdown: costs ?? {},
      totalCosts,
    });
    await setDecisionOutcome(tx, input.decisionId, { status: input.status, costBreakdown: costs ?? {} });
    const unsent = await closeUnsentIntents(tx, input.allTags);
    await auditIn(tx.client, input.tenantId, null, 'trade.recorded', {
      tradeId: input.decisionId,
      workflowId: wf.workflowId,
      status: input.status,
      reason: input.reason,
      totalCosts,
      ...(unsent.length > 0 ? { closedNeverSent: unsent } : {}),
    });
    return { tradeId: input.decisionId, totalCosts };
  });
}

/**
 * A finished placement closes the intents it never sent (a leg after a rejected one, or one
 * the broker definitely refused to take): nothing will send them now, and the ledger says so
 * at once instead of leaving them for a reconciliation to find.
 */
async function closeUnsentIntents(tx: TenantTx, tags: readonly string[]): Promise<string[]> {
  const closed: string[] = [];
  for (const tag of await unsentIntentTags(tx, tags))
    if (await closeNeverSent(tx, tag, 'never sent: its placement finished without sending it')) closed.push(tag);
  return closed;
}

async function gateIn(tx: TenantTx, input: GateInput): Promise<GateVerdict> {
  const closing = input.intent === 'close';
  const reasons: string[] = [];
  const tenant = await tenantFlags(tx);
  if (!tenant) reasons.push('tenant is unknown');
  else if (tenant.status !== 'active' && !closing) reasons.push(`tenant is ${tenant.status}`);
  if (!closing)
    for (const k of await activeKillSwitches(tx, input))
      reasons.push(`kill switch (${k.scope}${k.scope === 'tenant' ? '' : ` ${k.target}`}): ${k.reason}`);
  const recon = await reconciliationState(tx);
  if (recon && !recon.clean) reasons.push(`reconciliation is not clean (${recon.unresolved.length} unresolved)`);
  if (reasons.length > 0)
    await auditIn(tx.client, input.tenantId, null, 'orders.refused', { decisionId: input.decisionId, reasons });
  return { allowed: reasons.length === 0, reasons };
}

async function intentsIn(
  tx: TenantTx,
  wf: { workflowId: string; runId: string },
  input: IntentsInput,
): Promise<{ inserted: string[] }> {
  const broker = await brokerNameOf(tx);
  if (input.decision) await recordDecision(tx, { ...input.decision, workflowId: wf.workflowId, runId: wf.runId });
  const inserted = await recordOrderIntents(
    tx,
    input.orders.map((o) => ({ ...o, broker, workflowId: wf.workflowId, runId: wf.runId })),
  );
  if (inserted.length > 0)
    await auditIn(tx.client, input.tenantId, null, 'orders.intents_recorded', {
      workflowId: wf.workflowId,
      tags: inserted,
    });
  return { inserted };
}

export function createOrderActivities(deps: { pool: Pool }) {
  const { pool } = deps;
  return {
    /**
     * New risk only when the tenant is active, reconciled clean and no kill switch applies. A
     * closing order needs a known tenant and a clean reconciliation only: with an unresolved
     * mismatch we do not know what we hold, and "closing" it could open a naked position.
     */
    async checkTradingGate(input: GateInput): Promise<GateVerdict> {
      return withTenant(pool, input.tenantId, (tx) => gateIn(tx, input));
    },

    /** The decision row (if new) and one order row per tag, written once whatever the retries. */
    async recordOrderIntents(input: IntentsInput): Promise<{ inserted: string[] }> {
      const wf = workflowOf();
      return withTenant(pool, input.tenantId, (tx) => intentsIn(tx, wf, input));
    },

    /**
     * The gate and the intents in one transaction (one local activity, one commit): the intents
     * when the gate allows, else the decision alone, so a refusal is on record too.
     */
    async openPlacement(input: { gate: GateInput; intents: IntentsInput }): Promise<GateVerdict> {
      const wf = workflowOf();
      return withTenant(pool, input.gate.tenantId, async (tx) => {
        const verdict = await gateIn(tx, input.gate);
        await intentsIn(tx, wf, verdict.allowed ? input.intents : { ...input.intents, orders: [] });
        return verdict;
      });
    },

    /** The trade row for the structure (idempotent on the decision id) with exact costs of what filled. */
    async recordTrade(input: RecordTradeInput): Promise<RecordedTrade> {
      return recordTradeRow(pool, input);
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
