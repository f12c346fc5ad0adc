/**
 * Open positions priced with Black-76 on the latest stored snapshot, with greeks and the portfolio
 * totals (GET …/positions/greeks), re-read when positions or orders change.
 */
import { useState } from 'preact/hooks';
import { get } from '../api';
import type { LiveFeed } from '../live';
import { useLiveReload } from '../reload';
import type { GreekBook, Greeks } from '../types';
import { Empty, HeadRow, Panel } from '../panel';
import { greek, num, rupees } from '../format';

const GREEKS: Array<keyof Greeks> = ['delta', 'gamma', 'vega', 'theta'];

export function PositionsPanel({ feed, slug }: { feed: LiveFeed; slug: string }) {
  const [book, setBook] = useState<GreekBook | null>(null);
  useLiveReload(
    feed,
    ['positions', 'orders'],
    () => get('/t/{slug}/api/v1/positions/greeks', { slug }).then((a) => setBook(a as GreekBook)),
    [slug],
  );
  const open = book?.positions.filter((p) => p.quantity !== 0) ?? [];
  return (
    <Panel id="positions" title="Positions" wide>
      {book === null ? (
        <Empty>Loading…</Empty>
      ) : open.length === 0 ? (
        <Empty>Flat: no open positions.</Empty>
      ) : (
        <div class="scroll" tabIndex={0} role="region" aria-label="Positions with greeks">
          <table>
            <HeadRow cols={['Symbol', 'Qty#', 'Avg#', 'Price#', ...GREEKS.map((g) => `${g}#`)]} />
            <tbody>
              {open.map((p) => (
                <tr key={p.tradingsymbol} data-testid="position-row">
                  <td>{p.tradingsymbol}</td>
                  <td class={`n ${p.quantity < 0 ? 'sell' : 'buy'}`}>{p.quantity}</td>
                  <td class="n">{rupees(p.averagePrice)}</td>
                  <td class="n">{p.price === null ? '—' : num(p.price, 2)}</td>
                  {GREEKS.map((g) => (
                    <td key={g} class="n">
                      {p.position ? greek(p.position[g]) : '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  Portfolio{book.unpriced ? ` (${book.unpriced} unpriced)` : ''}
                </th>
                {GREEKS.map((g) => (
                  <td key={g} class="n">
                    <strong>{greek(book.totals[g])}</strong>
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </Panel>
  );
}
