/** What syncing broker truth into one ledger row changed, as resolved mismatches (both reconciliations report it). */
import type { SyncOutcome } from '../db/ledger';
import type { BrokerOrder } from '../contracts/broker-reports';
import type { Mismatch } from '../contracts/orders';

export function syncedMismatches(
  before: { tag: string; status: string; filledQuantity: number; quantity: number },
  b: BrokerOrder,
  out: SyncOutcome,
): Mismatch[] {
  const was = `${before.status}|${before.filledQuantity}`;
  const now = `${b.status}|${Math.min(b.filledQuantity, before.quantity)}`;
  const found: Mismatch[] = [];
  if (out.statusChanged && was !== now)
    found.push({
      kind: 'status_synced',
      resolved: true,
      tag: before.tag,
      brokerOrderId: b.brokerOrderId,
      detail: `ledger ${was} → broker ${b.status}|${b.filledQuantity}`,
    });
  if (out.inferredQuantity > 0)
    found.push({
      kind: 'inferred_fill',
      resolved: true,
      tag: before.tag,
      brokerOrderId: b.brokerOrderId,
      detail: `${out.inferredQuantity} units filled without a trade record: inferred fill`,
    });
  return found;
}
