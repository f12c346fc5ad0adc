/**
 * A tenant's real closed trades, read from the ledger for the tenant_profile model: a filled
 * structure (trades row) whose every filled leg was later met by an opposite fill on the same
 * symbol (its `<decision>-exit` placement, a square-off, a flatten; an exit placement is never a
 * trade of its own). Each leg comes with its
 * entry and the first closing order after it; the caller pairs them (ml/data/tenant-trades.ts).
 */
import type { TenantTx } from './tenant';

export interface ClosedTradeLeg {
  decisionId: string;
  structure: string;
  instrument: string;
  /** The decision's lots (null: no decision row). */
  lots: number | null;
  side: 'BUY' | 'SELL';
  quantity: number;
  entryPrice: string;
  openedAt: Date;
  /** Costs of the entry placement and of its exit placement (when it had its own). */
  entryCosts: string;
  exitCosts: string | null;
  /** null: nothing has closed this leg yet. */
  closePrice: string | null;
  closedAt: Date | null;
}

/** Every filled leg of the tenant's structures opened in [from, to) (IST dates), with its close if any. */
export async function closedTradeLegs(
  tx: TenantTx,
  structures: readonly string[],
  from: string,
  to: string,
): Promise<ClosedTradeLeg[]> {
  const { rows } = await tx.client.query<ClosedTradeLeg>(
    `SELECT t.decision_id AS "decisionId", t.structure, t.instrument, d.lots, o.side,
            o.filled_quantity AS quantity, o.average_price::text AS "entryPrice", ef.at AS "openedAt",
            t.total_costs::text AS "entryCosts", x.costs AS "exitCosts",
            c.average_price::text AS "closePrice", c.at AS "closedAt"
       FROM trades t
       LEFT JOIN decisions d ON d.tenant_id = t.tenant_id AND d.id = t.decision_id
       JOIN orders o ON o.tenant_id = t.tenant_id AND o.decision_id = t.decision_id AND o.filled_quantity > 0
            AND o.average_price IS NOT NULL
       CROSS JOIN LATERAL (SELECT min(f.filled_at) AS at FROM fills f
                            WHERE f.tenant_id = o.tenant_id AND f.order_tag = o.tag) ef
       LEFT JOIN LATERAL (SELECT sum(x.total_costs)::text AS costs FROM trades x
                           WHERE x.tenant_id = t.tenant_id AND x.decision_id = t.decision_id || '-exit') x ON true
       LEFT JOIN LATERAL (
            SELECT c.average_price,
                   (SELECT min(f.filled_at) FROM fills f WHERE f.tenant_id = c.tenant_id AND f.order_tag = c.tag) AS at
              FROM orders c
             WHERE c.tenant_id = o.tenant_id AND c.tradingsymbol = o.tradingsymbol AND c.side <> o.side
               AND c.filled_quantity > 0 AND c.average_price IS NOT NULL AND c.id > o.id
             ORDER BY c.id LIMIT 1) c ON true
      WHERE t.tenant_id = $1 AND t.status = 'filled' AND t.structure = ANY($2::text[])
        AND t.decision_id NOT LIKE '%-exit'
        AND ef.at IS NOT NULL
        AND (ef.at AT TIME ZONE 'Asia/Kolkata')::date >= $3::date
        AND (ef.at AT TIME ZONE 'Asia/Kolkata')::date < $4::date
      ORDER BY ef.at, t.decision_id, o.id`,
    [tx.tenantId, [...structures], from, to],
  );
  return rows;
}
