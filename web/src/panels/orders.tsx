/** The order blotter: the ledger's latest orders, updated live as the broker reports them. */
import type { LiveFeed } from '../live';
import { useChannel } from '../live';
import type { LiveEvent, Order } from '../types';
import { Empty, HeadRow, Panel } from '../panel';
import { rupees, time } from '../format';

const MAX = 100;

export function OrdersPanel({ feed }: { feed: LiveFeed }) {
  const orders = useChannel<Order[]>(
    feed,
    'orders',
    [],
    (state) => (state as Order[] | null) ?? [],
    (list, e: LiveEvent) => {
      const o = e.payload as Order;
      const i = list.findIndex((x) => x.tag === o.tag);
      if (i < 0) return [o, ...list].slice(0, MAX);
      const next = list.slice();
      next[i] = { ...list[i], ...o };
      return next;
    },
  );
  return (
    <Panel id="orders" title="Orders" wide>
      {orders.length === 0 ? (
        <Empty>No orders yet.</Empty>
      ) : (
        <div class="scroll" tabIndex={0} role="region" aria-label="Order blotter">
          <table>
            <HeadRow cols={['Time', 'Side', 'Symbol', 'Qty#', 'Filled#', 'Avg price#', 'Status', 'Purpose', 'Tag']} />
            <tbody>
              {orders.map((o) => (
                <tr key={o.tag} data-testid="order-row">
                  <td>{time(o.updatedAt ?? o.createdAt)}</td>
                  <td class={o.side === 'BUY' ? 'buy' : 'sell'}>{o.side}</td>
                  <td>{o.tradingsymbol}</td>
                  <td class="n">{o.quantity}</td>
                  <td class="n">{o.filledQuantity}</td>
                  <td class="n">{o.averagePrice ? rupees(o.averagePrice) : '—'}</td>
                  <td>
                    <span class={`pill status-${o.status.toLowerCase()}`}>{o.status}</span>
                  </td>
                  <td>{o.purpose ?? '—'}</td>
                  <td class="mono">{o.tag}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
