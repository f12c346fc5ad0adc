/** Net positions from the ledger (greeks join them when the API serves them). */
import type { LiveFeed } from '../live';
import { useChannel } from '../live';
import type { Position } from '../types';
import { Empty, Panel } from '../panel';

export function PositionsPanel({ feed }: { feed: LiveFeed }) {
  const positions = useChannel<Position[]>(
    feed,
    'positions',
    [],
    (state) => ((state as Position[] | null) ?? []).filter((p) => p.quantity !== 0),
    (list, e) => {
      const p = e.payload as Position;
      const rest = list.filter((x) => x.tradingsymbol !== p.tradingsymbol);
      return (p.quantity === 0 ? rest : [...rest, p]).sort((a, b) => a.tradingsymbol.localeCompare(b.tradingsymbol));
    },
  );
  const net = positions.reduce((s, p) => s + p.quantity, 0);
  return (
    <Panel id="positions" title="Positions">
      {positions.length === 0 ? (
        <Empty>Flat: no open positions.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col" class="n">
                Qty
              </th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <tr key={p.tradingsymbol}>
                <td>{p.tradingsymbol}</td>
                <td class={`n ${p.quantity < 0 ? 'sell' : 'buy'}`}>{p.quantity}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Net units</th>
              <td class="n">{net}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </Panel>
  );
}
