/**
 * Broker calls (broker queue): every activity that reaches a broker, plus the ledger write that
 * records what it learned (in the same activity, so broker truth reaches the ledger even if
 * the workflow is slow to come back).
 *
 * Exactly once: `placeOrder` holds a per-tag Postgres advisory lock for its whole run (a
 * dead worker's connection drops and releases it), and before sending it asks the broker for
 * the tag whenever an earlier attempt may have reached it (ledger says SUBMITTED, or this is a
 * retry). After an ambiguous error it looks the tag up for the broker's settle window before
 * anything else; only a broker that definitely did not act lets the order be sent again.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { auditIn } from '../db/audit';
import {
  ledgerMatchesBroker,
  ledgerOrder,
  ledgerOrdersWithFills,
  markCancelRequested,
  setOrderStatus,
  syncOrderFromBroker,
  withOrderTagLock,
  type LedgerOrder,
  type LedgerOrderWithFills,
  type SyncOutcome,
} from '../db/ledger';
import { withTenant, type TenantTx } from '../db/tenant';
import { markTenantUnclean } from '../db/trading-state';
import {
  AmbiguousOutcomeError,
  BrokerAuthError,
  BrokerReloginRequiredError,
  BrokerUnavailableError,
  DryRunRefusedError,
  OrderNotFoundError,
  OrderNotOpenError,
  OrderRejectedError,
} from '../broker/errors';
import type { BrokerPort, PlaceOrderRequest } from '../broker/port';
import type { BrokerRegistry } from '../broker/registry';
import type { BrokerOrder, BrokerState, BrokerTrade } from '../contracts/broker-reports';
import { snapshotFingerprint, type LegSnapshot, type Mismatch } from '../contracts/orders';
import { recordTradeRow } from './order-ledger';
import { createStructurePlacement } from './structure-placement';
import { syncedMismatches } from './synced-mismatches';
import { isFinalStatus, type OrderSide, type OrderType } from '../domain/orders';

export interface PlaceOrderInput {
  tenantId: number;
  tag: string;
  exchange: 'NFO';
  tradingsymbol: string;
  side: OrderSide;
  quantity: number;
  orderType: OrderType;
  price?: string;
}

export interface PlaceOrderResult {
  outcome: 'placed' | 'rejected' | 'denied';
  message: string | null;
  snapshot: LegSnapshot | null;
}

export interface WatchInput {
  tenantId: number;
  legs: Array<{ tag: string; brokerOrderId: string | null }>;
  /** tag → fingerprint of what the workflow already knows; any difference returns at once. */
  known: Record<string, string>;
  maxWaitMs: number;
  pollIntervalMs: number;
}

function heartbeatWhile<T>(work: Promise<T>, details?: unknown, everyMs = 1000): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat(details);
  const timer = setInterval(() => ctx.heartbeat(details), everyMs);
  return work.finally(() => clearInterval(timer));
}

/** The tag's exactly-once lock (db/ledger.ts), waited for with heartbeats. */
function withTagLock<T>(pool: Pool, tenantId: number, tag: string, fn: () => Promise<T>): Promise<T> {
  return withOrderTagLock(
    pool,
    tenantId,
    tag,
    async () => {
      Context.current().heartbeat({ waitingForTagLock: tag });
      await Context.current().sleep(200);
    },
    fn,
  );
}

function toSnapshot(
  tag: string,
  b: BrokerOrder | undefined,
  trades: readonly BrokerTrade[],
  duplicates: number,
  ledgerStatus = 'INITIALIZED',
): LegSnapshot {
  if (!b) {
    return {
      tag,
      found: false,
      brokerOrderId: null,
      status: ledgerStatus as LegSnapshot['status'],
      brokerStatus: null,
      filledQuantity: 0,
      averagePrice: null,
      statusMessage: null,
      trades: [],
      duplicates: 0,
    };
  }
  return {
    tag,
    found: true,
    brokerOrderId: b.brokerOrderId,
    status: b.status,
    brokerStatus: b.brokerStatus,
    filledQuantity: b.filledQuantity,
    averagePrice: b.averagePrice === '0' ? null : b.averagePrice,
    statusMessage: b.statusMessage,
    trades: trades
      .filter((t) => t.brokerOrderId === b.brokerOrderId)
      .map((t) => ({ tradeId: t.tradeId, quantity: t.quantity, price: t.price, filledAt: t.filledAt })),
    duplicates,
  };
}

export function createBrokerActivities(deps: { pool: Pool; registry: BrokerRegistry }) {
  const { pool, registry } = deps;
  const tx = <T>(tenantId: number, fn: (t: TenantTx) => Promise<T>) => withTenant(pool, tenantId, fn);

  /** Look for the tag at the broker, for up to `settleMs` (an ambiguous order may appear late). */
  async function findByTag(broker: BrokerPort, tag: string, settleMs: number): Promise<BrokerOrder[]> {
    const deadline = Date.now() + settleMs;
    for (;;) {
      const found = await heartbeatWhile(broker.findOrdersByTag(tag), { lookingUpTag: tag });
      if (found.length > 0 || Date.now() >= deadline) return found;
      await Context.current().sleep(Math.min(500, Math.max(50, deadline - Date.now())));
    }
  }

  /**
   * Fetch the order's truth (by id) and its trades, write it to the ledger, return the snapshot.
   * `record` (an audit row) goes last in the same transaction, so the tenant's audit chain is
   * held only for the commit; if the broker cannot be read it is written on its own first.
   */
  async function adopt(
    broker: BrokerPort,
    tenantId: number,
    tag: string,
    brokerOrderId: string,
    opts: { duplicates?: number; record?: (t: TenantTx) => Promise<unknown>; row?: LedgerOrder } = {},
  ): Promise<LegSnapshot> {
    const { duplicates = 1, record, row } = opts;
    let order: BrokerOrder;
    let trades: BrokerTrade[];
    try {
      [order, trades] = await heartbeatWhile(
        Promise.all([broker.getOrder(brokerOrderId), broker.getOrderTrades(brokerOrderId)]),
      );
    } catch (e) {
      if (record) await tx(tenantId, record);
      throw e;
    }
    try {
      await tx(tenantId, async (t) => {
        await syncOrderFromBroker(t, tag, order, trades, row);
        if (record) await record(t);
      });
    } catch (e) {
      // The audit row still tells what reached the broker; the retry finds the order by tag.
      if (record) await tx(tenantId, record).catch(() => undefined);
      throw e;
    }
    return toSnapshot(tag, order, trades, duplicates);
  }

  /** An earlier send reached the broker after all: audited, and adopted instead of sending again. */
  async function adoptFound(
    broker: BrokerPort,
    tenantId: number,
    tag: string,
    found: BrokerOrder[],
    attempt: number,
  ): Promise<PlaceOrderResult> {
    const brokerOrderId = found[0]!.brokerOrderId;
    const record = (t: TenantTx) =>
      auditIn(t.client, tenantId, null, 'order.found_by_tag', { tag, brokerOrderId, attempt, copies: found.length });
    return {
      outcome: 'placed',
      message: null,
      snapshot: await adopt(broker, tenantId, tag, brokerOrderId, { duplicates: found.length, record }),
    };
  }

  const calls = {
    async placeOrder(input: PlaceOrderInput): Promise<PlaceOrderResult> {
      const { tenantId, tag } = input;
      const attempt = Context.current().info.attempt;
      // Which broker is read-only: looked up while the tag's lock is being taken. Its failure
      // matters only to an intent that still needs the broker.
      const brokerFor = registry.forTenant(tenantId).then(
        (broker) => ({ broker }),
        (error: unknown) => ({ error }),
      );
      return withTagLock(pool, tenantId, tag, async () => {
        const lookup = await brokerFor;
        // One transaction reads the intent and, when nothing can have been sent yet, claims it
        // (SUBMITTED).
        const claim = await tx(tenantId, async (t) => {
          const row = await ledgerOrder(t, tag);
          if (!row || row.status === 'DENIED' || (row.status === 'REJECTED' && !row.brokerOrderId)) return { row };
          if ('error' in lookup) throw lookup.error;
          const broker = lookup.broker;
          const fresh = !row.brokerOrderId && row.status === 'INITIALIZED' && attempt === 1;
          if (fresh) await setOrderStatus(t, tag, 'SUBMITTED');
          return { row, broker, fresh };
        });
        const { row } = claim;
        if (!row) throw ApplicationFailure.nonRetryable(`no ledger intent for tag ${tag}`, 'NoIntent');
        if (row.status === 'DENIED')
          return { outcome: 'denied', message: row.statusMessage ?? 'refused by the dry-run lock', snapshot: null };
        // REJECTED with no broker order: the broker refused it earlier; nothing to send.
        if (!claim.broker) return { outcome: 'rejected', message: 'rejected by the broker', snapshot: null };
        const broker = claim.broker;
        if (row.brokerOrderId)
          return {
            outcome: 'placed',
            message: null,
            snapshot: await adopt(broker, tenantId, tag, row.brokerOrderId, { row }),
          };

        if (!claim.fresh) {
          // An earlier attempt may have reached the broker: the tag decides, not a resend.
          const found = await findByTag(broker, tag, row.status === 'SUBMITTED' ? broker.settleMs : 0);
          if (found.length > 0) return adoptFound(broker, tenantId, tag, found, attempt);
          await tx(tenantId, (t) => setOrderStatus(t, tag, 'SUBMITTED'));
        }

        const req: PlaceOrderRequest = {
          tag,
          exchange: input.exchange,
          tradingsymbol: input.tradingsymbol,
          side: input.side,
          quantity: input.quantity,
          orderType: input.orderType,
          price: input.price,
          product: 'NRML',
        };
        try {
          const { brokerOrderId } = await heartbeatWhile(broker.placeOrder(req), { placing: tag });
          const record = (t: TenantTx) =>
            auditIn(t.client, tenantId, null, 'order.placed', {
              tag,
              brokerOrderId,
              broker: broker.name,
              tradingsymbol: req.tradingsymbol,
              side: req.side,
              quantity: req.quantity,
              price: req.price ?? null,
            });
          return {
            outcome: 'placed',
            message: null,
            snapshot: await adopt(broker, tenantId, tag, brokerOrderId, { record, row }),
          };
        } catch (e) {
          // Refused before reaching the broker: our lock, or a Kite session that needs a new login.
          if (e instanceof DryRunRefusedError || e instanceof BrokerReloginRequiredError) {
            await tx(tenantId, async (t) => {
              await setOrderStatus(t, tag, 'DENIED', e.message);
              await auditIn(t.client, tenantId, null, 'order.denied', { tag, reason: e.message });
            });
            return { outcome: 'denied', message: e.message, snapshot: null };
          }
          if (e instanceof OrderRejectedError || e instanceof BrokerAuthError) {
            await tx(tenantId, async (t) => {
              await setOrderStatus(t, tag, 'REJECTED', e.message);
              await auditIn(t.client, tenantId, null, 'order.rejected', {
                tag,
                code: e.code ?? null,
                reason: e.message,
              });
            });
            return { outcome: 'rejected', message: e.message, snapshot: null };
          }
          if (e instanceof BrokerUnavailableError) {
            // Definitely not processed: the next attempt may send without looking first.
            await tx(tenantId, (t) => setOrderStatus(t, tag, 'INITIALIZED'));
            throw ApplicationFailure.retryable(e.message, 'BrokerUnavailable');
          }
          if (e instanceof AmbiguousOutcomeError) {
            await tx(tenantId, (t) =>
              auditIn(t.client, tenantId, null, 'order.ambiguous', {
                tag,
                reason: e.message,
                settleMs: broker.settleMs,
              }),
            );
            const found = await findByTag(broker, tag, broker.settleMs);
            if (found.length > 0) return adoptFound(broker, tenantId, tag, found, attempt);
            throw ApplicationFailure.retryable(
              `${e.message}; not found by tag within ${broker.settleMs} ms`,
              'AmbiguousOutcome',
            );
          }
          throw e;
        }
      });
    },

    /** Polls the legs until something changes, all are final, or maxWaitMs passes; heartbeats every poll. */
    async watchOrders(input: WatchInput): Promise<LegSnapshot[]> {
      const { tenantId } = input;
      const broker = await registry.forTenant(tenantId);
      const started = Date.now();
      for (let i = 0; ; i++) {
        const snaps = await syncLegs(broker, tenantId, input.legs);
        Context.current().heartbeat({ poll: i });
        const changed = snaps.some((s) => snapshotFingerprint(s) !== input.known[s.tag]);
        const settled = snaps.every((s) => s.found && isFinalStatus(s.status));
        if (changed || settled || Date.now() - started >= input.maxWaitMs) return snaps;
        await Context.current().sleep(input.pollIntervalMs);
      }
    },

    async cancelOrder(input: {
      tenantId: number;
      tag: string;
      brokerOrderId: string | null;
    }): Promise<{ accepted: boolean; reason: string | null }> {
      const { tenantId, tag } = input;
      const broker = await registry.forTenant(tenantId);
      const id = input.brokerOrderId ?? (await broker.findOrdersByTag(tag))[0]?.brokerOrderId;
      if (!id) return { accepted: false, reason: 'no such order at the broker' };
      try {
        await heartbeatWhile(broker.cancelOrder(id));
      } catch (e) {
        if (e instanceof OrderNotOpenError || e instanceof OrderNotFoundError)
          return { accepted: false, reason: e.message };
        if (e instanceof AmbiguousOutcomeError || e instanceof BrokerUnavailableError)
          throw ApplicationFailure.retryable(e.message, e.constructor.name);
        throw e;
      }
      await tx(tenantId, async (t) => {
        await markCancelRequested(t, tag);
        await auditIn(t.client, tenantId, null, 'order.cancel_requested', { tag, brokerOrderId: id });
      });
      return { accepted: true, reason: null };
    },

    /** The placement's own reconciliation: its tags at the broker against the ledger. */
    async reconcileOwnOrders(input: {
      tenantId: number;
      workflowId: string;
      tags: string[];
      unresolved?: Mismatch[];
    }): Promise<{ clean: boolean; mismatches: Mismatch[] }> {
      const { tenantId } = input;
      const broker = await registry.forTenant(tenantId);
      const [orders, trades] = await heartbeatWhile(Promise.all([broker.getOrders(), broker.getTrades()]));
      const mismatches: Mismatch[] = [...(input.unresolved ?? [])];
      await tx(tenantId, async (t) => {
        const rows = await ledgerOrdersWithFills(t, input.tags);
        for (const tag of input.tags) {
          const row = rows.get(tag);
          const at = orders.filter(
            (o) => o.tag === tag || (row?.brokerOrderId && o.brokerOrderId === row.brokerOrderId),
          );
          if (!row) continue;
          if (at.length > 1)
            mismatches.push({
              kind: 'duplicate_tag',
              resolved: false,
              tag,
              detail: `${at.length} broker orders carry tag ${tag}: ${at.map((o) => o.brokerOrderId).join(', ')}`,
            });
          const b = at.find((o) => o.brokerOrderId === row.brokerOrderId) ?? at[0];
          if (!b) {
            if (row.brokerOrderId)
              mismatches.push({
                kind: 'missing_at_broker',
                resolved: false,
                tag,
                brokerOrderId: row.brokerOrderId,
                detail: 'the ledger has a broker order id the broker does not know',
              });
            else if (row.status === 'SUBMITTED')
              mismatches.push({
                kind: 'orphan_order',
                resolved: false,
                tag,
                detail: 'sent with an ambiguous outcome and never found by tag: it may still appear',
              });
            continue;
          }
          mismatches.push(...syncedMismatches(row, b, await syncIfChanged(t, tag, b, trades, row)));
        }
        const unresolved = mismatches.filter((m) => !m.resolved);
        if (unresolved.length > 0) {
          await markTenantUnclean(t, unresolved, input.workflowId);
          await auditIn(t.client, tenantId, null, 'reconciliation.unclean', {
            workflowId: input.workflowId,
            scope: 'placement',
            unresolved,
          });
        }
      });
      return { clean: mismatches.every((m) => m.resolved), mismatches };
    },

    async fetchBrokerState(input: { tenantId: number }): Promise<BrokerState> {
      const broker = await registry.forTenant(input.tenantId);
      const orders = await heartbeatWhile(broker.getOrders());
      const trades = await heartbeatWhile(broker.getTrades());
      const positions = await heartbeatWhile(broker.getPositions());
      return {
        broker: broker.name,
        horizon: broker.orderBookHorizon,
        settleMs: broker.settleMs,
        fetchedAt: new Date().toISOString(),
        orders,
        trades,
        positions,
      };
    },
  };
  return { ...calls, ...createStructurePlacement({ ...calls, recordTrade: (t) => recordTradeRow(pool, t) }) };

  async function syncLegs(broker: BrokerPort, tenantId: number, legs: WatchInput['legs']): Promise<LegSnapshot[]> {
    const [orders, trades] = await heartbeatWhile(Promise.all([broker.getOrders(), broker.getTrades()]));
    return tx(tenantId, async (t) => {
      const rows = await ledgerOrdersWithFills(
        t,
        legs.map((l) => l.tag),
      );
      const out: LegSnapshot[] = [];
      for (const leg of legs) {
        const matches = orders.filter(
          (o) => o.tag === leg.tag || (leg.brokerOrderId !== null && o.brokerOrderId === leg.brokerOrderId),
        );
        const b = matches.find((o) => o.brokerOrderId === leg.brokerOrderId) ?? matches[0];
        const row = rows.get(leg.tag);
        if (b) await syncIfChanged(t, leg.tag, b, trades, row);
        out.push(toSnapshot(leg.tag, b, trades, matches.length, b ? undefined : row?.status));
      }
      return out;
    });
  }
}

/** Broker truth into the ledger row, unless the row already holds exactly that (no sync, no symbol lock). */
async function syncIfChanged(
  t: TenantTx,
  tag: string,
  b: BrokerOrder,
  trades: readonly BrokerTrade[],
  row: LedgerOrderWithFills | undefined,
): Promise<SyncOutcome> {
  if (row && ledgerMatchesBroker(row, b, trades)) return { newFills: 0, inferredQuantity: 0, statusChanged: false };
  return syncOrderFromBroker(t, tag, b, trades, row);
}

export type BrokerActivities = ReturnType<typeof createBrokerActivities>;
