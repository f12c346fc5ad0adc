/**
 * The dry-run lock: a real broker order needs BOTH the tenant armed for live trading
 * (tenants.live_armed) AND the process started with live trading enabled (QS_LIVE_TRADING=true,
 * config.liveTrading). Either missing → the order is refused before any byte leaves the
 * process, and the refusal is audited. Cancels and reads pass: they can only reduce risk.
 */
import type { Pool } from 'pg';
import { audit } from '../db/audit';
import { withTenant } from '../db/tenant';
import { tenantFlags } from '../db/trading-state';
import { DryRunRefusedError } from './errors';
import type { BrokerMargins, BrokerPort, ModifyOrderRequest, PlaceOrderRequest } from './port';
import type { BrokerOrder, BrokerPosition, BrokerTrade } from '../contracts/broker-reports';

export interface LockVerdict {
  allowed: boolean;
  tenantArmed: boolean;
  processLive: boolean;
}

export class DryRunLock {
  constructor(private readonly deps: { pool: Pool; liveTrading: boolean }) {}

  async verdict(tenantId: number): Promise<LockVerdict> {
    const armed = await withTenant(this.deps.pool, tenantId, async (tx) => (await tenantFlags(tx))?.liveArmed === true);
    return { allowed: armed && this.deps.liveTrading, tenantArmed: armed, processLive: this.deps.liveTrading };
  }

  /** Throws DryRunRefusedError (after auditing the refusal) unless live trading is allowed. */
  async assertLive(tenantId: number, action: string, detail: Record<string, unknown>): Promise<void> {
    const v = await this.verdict(tenantId);
    if (v.allowed) return;
    const why = [
      !v.tenantArmed ? 'the tenant is not armed for live trading' : null,
      !v.processLive ? 'the process runs without QS_LIVE_TRADING=true' : null,
    ]
      .filter(Boolean)
      .join(' and ');
    await audit(this.deps.pool, tenantId, null, 'broker.dry_run_refused', {
      action,
      ...detail,
      tenantArmed: v.tenantArmed,
      processLive: v.processLive,
      reason: why,
    });
    throw new DryRunRefusedError(`dry-run lock: ${action} refused because ${why}`, 'DRY_RUN');
  }
}

/** A real broker behind the lock: placing and modifying need live trading; the rest passes. */
export class LiveGuardedBroker implements BrokerPort {
  readonly name: BrokerPort['name'];
  readonly settleMs: number;
  readonly orderBookHorizon: BrokerPort['orderBookHorizon'];

  constructor(
    private readonly inner: BrokerPort,
    private readonly lock: DryRunLock,
    private readonly tenantId: number,
  ) {
    this.name = inner.name;
    this.settleMs = inner.settleMs;
    this.orderBookHorizon = inner.orderBookHorizon;
  }

  async placeOrder(req: PlaceOrderRequest): Promise<{ brokerOrderId: string }> {
    await this.lock.assertLive(this.tenantId, 'place order', {
      broker: this.name,
      tag: req.tag,
      tradingsymbol: req.tradingsymbol,
      side: req.side,
      quantity: req.quantity,
    });
    return this.inner.placeOrder(req);
  }

  async modifyOrder(id: string, change: ModifyOrderRequest): Promise<{ brokerOrderId: string }> {
    await this.lock.assertLive(this.tenantId, 'modify order', { broker: this.name, brokerOrderId: id, ...change });
    return this.inner.modifyOrder(id, change);
  }

  cancelOrder(id: string): Promise<{ brokerOrderId: string }> {
    return this.inner.cancelOrder(id);
  }
  getOrder(id: string): Promise<BrokerOrder> {
    return this.inner.getOrder(id);
  }
  getOrders(): Promise<BrokerOrder[]> {
    return this.inner.getOrders();
  }
  findOrdersByTag(tag: string): Promise<BrokerOrder[]> {
    return this.inner.findOrdersByTag(tag);
  }
  getTrades(): Promise<BrokerTrade[]> {
    return this.inner.getTrades();
  }
  getOrderTrades(id: string): Promise<BrokerTrade[]> {
    return this.inner.getOrderTrades(id);
  }
  getPositions(): Promise<BrokerPosition[]> {
    return this.inner.getPositions();
  }
  getMargins(): Promise<BrokerMargins> {
    return this.inner.getMargins();
  }
}
