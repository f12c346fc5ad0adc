/**
 * TailHedgeRoll's activities (trading queue): the plan, from the tenant's hedge settings, the
 * protective puts its ledger holds, its paper market's chain and this year's hedge spend; and
 * the outcome, audited once per (roll, event) and announced on the tenant's event outbox.
 */
import type { Pool } from 'pg';
import { publishApiEvent } from '../db/api-events';
import { auditEventRecorded, auditIn } from '../db/audit';
import { brokerNameOf } from '../db/broker-accounts';
import { dedicatedBrokerQueue } from '../db/broker-queue';
import { hedgeSettingsOf, hedgeSpendSince, heldHedgePuts } from '../db/hedging';
import { withTenant } from '../db/tenant';
import { tenantRiskRecord } from '../db/tenant-risk-state';
import { chainAt } from '../broker/paper/market';
import { PAPER_DEFAULT_CAPITAL, paperMarketSession } from '../broker/paper/paper-broker';
import { structureToLegs } from '../broker/structure-orders';
import { parseTradingsymbol } from '../broker/tradingsymbol';
import { planHedgeRoll, type HeldPut, type PutOrder } from '../domain/hedging';
import type { Instrument } from '../domain/instruments';
import type { HedgePut, PlannedHedgeOrder, TailHedgeRollInput } from '../contracts/hedge';

export type HedgePlanned =
  | { action: 'disabled' | 'none'; reason: string; held: HeldPut[] }
  | { action: 'refused' | 'roll'; reason: string; held: HeldPut[]; roll: Omit<TailHedgeRollInput, 'options'> };

export interface HedgeOutcomeInput {
  tenantId: number;
  /** Once-only key: a retried activity or a replayed workflow does not audit twice. */
  key: string;
  event: 'hedge.rolled' | 'hedge.bought' | 'hedge.sell_failed' | 'hedge.buy_failed' | 'hedge.refused';
  payload: Record<string, unknown>;
}

function planned(instrument: Instrument, order: PutOrder): PlannedHedgeOrder {
  const leg = structureToLegs(order.structure, order.lots)[0]!;
  const put: HedgePut = {
    instrument,
    tradingsymbol: leg.tradingsymbol,
    expiry: order.expiry,
    strike: order.strike,
    delta: order.delta,
    lots: order.lots,
    quantity: leg.quantity,
    price: order.price.toFixed(2),
    premium: order.premium,
  };
  return { put, leg };
}

export function createHedgingActivities(deps: { pool: Pool }) {
  const { pool } = deps;
  return {
    async planHedgeRoll(input: { tenantId: number; date: string }): Promise<HedgePlanned> {
      const facts = await withTenant(pool, input.tenantId, async (tx) => {
        const settings = await hedgeSettingsOf(tx);
        if (!settings?.enabled) return null;
        const held: HeldPut[] = [];
        for (const p of await heldHedgePuts(tx, settings.instrument)) {
          const c = parseTradingsymbol(p.tradingsymbol);
          if (c?.type === 'put') held.push({ ...p, expiry: c.expiry, strike: c.strike });
        }
        return {
          settings,
          held,
          broker: await brokerNameOf(tx),
          brokerTaskQueue: await dedicatedBrokerQueue(tx),
          capital: (await tenantRiskRecord(tx, input.date, new Date())).cash ?? PAPER_DEFAULT_CAPITAL,
          spent: await hedgeSpendSince(tx, `${input.date.slice(0, 4)}-01-01`),
        };
      });
      if (!facts) return { action: 'disabled', reason: 'hedging is off for this tenant', held: [] };
      const { settings, held } = facts;
      // Only the paper market has a chain today; a live feed plugs in here.
      if (facts.broker !== 'paper')
        return { action: 'none', reason: `no option chain for a ${facts.broker} tenant yet`, held };
      const { session, simMs } = await paperMarketSession(pool, input.tenantId);
      const chain = chainAt(
        settings.instrument,
        session,
        simMs,
        held.map((p) => p.expiry),
      );
      const plan = planHedgeRoll({
        date: input.date,
        chain,
        settings,
        held,
        capital: facts.capital,
        spentThisYear: facts.spent,
      });
      if (plan.action === 'none') return { action: 'none', reason: plan.reason, held };
      return {
        action: plan.action,
        reason: plan.reason,
        held,
        roll: {
          tenantId: input.tenantId,
          tradingDate: input.date,
          instrument: settings.instrument,
          expiry: plan.expiry,
          buy: planned(settings.instrument, plan.buy),
          sell: plan.sell.map((s) => planned(settings.instrument, s)),
          budget: plan.budget,
          // The tenant's own broker queue (its registered static IP), when it has one.
          ...(facts.brokerTaskQueue ? { brokerTaskQueue: facts.brokerTaskQueue } : {}),
        },
      };
    },

    async recordHedgeOutcome(input: HedgeOutcomeInput): Promise<{ recorded: boolean }> {
      return withTenant(pool, input.tenantId, async (tx) => {
        if (await auditEventRecorded(tx.client, input.tenantId, input.event, 'key', input.key))
          return { recorded: false };
        const payload = { key: input.key, ...input.payload };
        await auditIn(tx.client, input.tenantId, null, input.event, payload);
        await publishApiEvent(tx, 'decisions', { type: input.event, ...payload });
        return { recorded: true };
      });
    },
  };
}

export type HedgingActivities = ReturnType<typeof createHedgingActivities>;
