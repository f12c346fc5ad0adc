/**
 * One decision's why, in a modal dialog: outcome and reasons, factors, signals with their intervals,
 * each risk wall with its numbers, costs, the models (with SHA-256), the orders and fills it led to,
 * and a link to its workflow in the Temporal Web UI.
 */
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api';
import type { DecisionDetail } from '../types';
import { label, num, rupees, time } from '../format';

/** The cost engine's lines as a statement names them. */
const COSTS = [
  ['brokerage', 'Brokerage'],
  ['stt', 'STT'],
  ['exchangeTxn', 'Exchange txn'],
  ['ipft', 'IPFT'],
  ['sebi', 'SEBI fees'],
  ['stamp', 'Stamp duty'],
  ['gst', 'GST'],
  ['slippage', 'Slippage'],
  ['total', 'Total'],
] as const;

export function DecisionWhy({ slug, id, onClose }: { slug: string; id: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [detail, setDetail] = useState<DecisionDetail>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    ref.current?.showModal();
    get('/t/{slug}/api/v1/decisions/{id}', { slug, params: { id } }).then(
      (d) => setDetail(d as DecisionDetail),
      (e: Error) => setError(e.message),
    );
  }, [slug, id]);
  const d = detail?.decision;
  return (
    <dialog ref={ref} class="why" aria-labelledby="why-title" onClose={onClose}>
      <div class="why-head">
        <h2 id="why-title">Why: {id}</h2>
        <button type="button" onClick={() => ref.current?.close()} aria-label="Close the decision">
          Close
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!d && !error && <p>Loading…</p>}
      {d && (
        <div class="why-body" data-testid="decision-why">
          <section aria-labelledby="why-outcome">
            <h3 id="why-outcome">Outcome</h3>
            <dl class="facts">
              <dt>Outcome</dt>
              <dd>
                <span class={`pill outcome-${d.status}`}>{d.status}</span>
              </dd>
              <dt>Structure</dt>
              <dd>{d.structure ? `${label(d.structure)} × ${d.lots} lots` : '—'}</dd>
              <dt>Instrument</dt>
              <dd>{d.instrument}</dd>
              <dt>Market time</dt>
              <dd>{d.at}</dd>
              <dt>Regime</dt>
              <dd>{d.regime?.regime ?? '—'}</dd>
              <dt>Expected P&amp;L</dt>
              <dd>{rupees(d.expectedPnl)}</dd>
              <dt>Net EV</dt>
              <dd>{rupees(d.netEv)}</dd>
              <dt>Workflow</dt>
              <dd>
                {d.workflowUrl ? (
                  <a href={d.workflowUrl} target="_blank" rel="noreferrer">
                    {d.workflowId} (Temporal Web UI)
                  </a>
                ) : (
                  <span class="mono">{d.workflowId}</span>
                )}
              </dd>
            </dl>
            {(d.reasons ?? []).length > 0 && (
              <ul>
                {(d.reasons ?? []).map((r) => (
                  <li key={r.code}>
                    <strong>{r.code}</strong> ({r.source}): {r.detail}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="why-walls">
            <h3 id="why-walls">Risk walls</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">Wall</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Numbers</th>
                </tr>
              </thead>
              <tbody>
                {(d.gates ?? []).map(({ wall, pass, reasonCode, ...numbers }) => (
                  <tr key={wall} data-testid="why-wall">
                    <th scope="row">{label(wall)}</th>
                    <td>
                      <span class={`pill ${pass ? 'pass' : 'fail'}`}>{pass ? 'pass' : (reasonCode ?? 'fired')}</span>
                    </td>
                    <td class="mono small">
                      {Object.entries(numbers)
                        .map(([k, v]) => `${k}=${num(v)}`)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="why-signals">
            <h3 id="why-signals">Signals</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">Module</th>
                  <th scope="col">Target</th>
                  <th scope="col">Horizon</th>
                  <th scope="col">Interval</th>
                </tr>
              </thead>
              <tbody>
                {(d.signals ?? []).map((s) => (
                  <tr key={s.module}>
                    <th scope="row">{s.module}</th>
                    <td>{s.target}</td>
                    <td>{s.horizonMinutes} min</td>
                    <td class="mono">
                      {s.interval.kind === 'range'
                        ? `[${num(s.interval.lower)}, ${num(s.interval.upper)}]`
                        : `{${s.interval.labels.join(', ')}}`}{' '}
                      @ {Math.round(s.interval.coverage * 100)}%
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="why-costs">
            <h3 id="why-costs">Costs</h3>
            {d.costs ? (
              <dl class="facts cols">
                {COSTS.map(([k, name]) => (
                  <Fragment key={k}>
                    <dt>{name}</dt>
                    <dd>{rupees(d.costs![k])}</dd>
                  </Fragment>
                ))}
              </dl>
            ) : (
              <p class="muted">No costs: nothing was priced.</p>
            )}
          </section>
          <section aria-labelledby="why-models">
            <h3 id="why-models">Models</h3>
            <ul class="models">
              {(d.models ?? []).map((m) => (
                <li key={m.typeId}>
                  {m.typeId} v{m.version} <span class="mono small">sha256 {m.sha256}</span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="why-factors">
            <h3 id="why-factors">Factors</h3>
            <dl class="facts cols small">
              {Object.entries(d.factors ?? {}).map(([k, v]) => (
                <Fragment key={k}>
                  <dt>{k}</dt>
                  <dd>{num(v)}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
          <section aria-labelledby="why-orders">
            <h3 id="why-orders">Orders and fills</h3>
            {detail!.provenance.trades.length === 0 ? (
              <p class="muted">No orders: this decision did not trade.</p>
            ) : (
              detail!.provenance.trades.map((t) => (
                <div key={t.tradeId}>
                  <p>
                    Trade <span class="mono">{t.tradeId}</span> · {t.status}
                    {t.workflowUrl && (
                      <>
                        {' · '}
                        <a href={t.workflowUrl} target="_blank" rel="noreferrer">
                          order workflow
                        </a>
                      </>
                    )}
                  </p>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Tag</th>
                        <th scope="col">Side</th>
                        <th scope="col">Symbol</th>
                        <th scope="col" class="n">
                          Qty
                        </th>
                        <th scope="col">Status</th>
                        <th scope="col">Fills</th>
                      </tr>
                    </thead>
                    <tbody>
                      {t.legs.map((l) => (
                        <tr key={l.tag}>
                          <td class="mono">{l.tag}</td>
                          <td>{l.side}</td>
                          <td>{l.tradingsymbol}</td>
                          <td class="n">{l.quantity}</td>
                          <td>{l.status}</td>
                          <td class="small">
                            {l.fills.map((f) => `${f.quantity} @ ${rupees(f.price)} ${time(f.filledAt)}`).join('; ') ||
                              '—'}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <p>Costs {rupees(t.costs.total)}</p>
                </div>
              ))
            )}
          </section>
        </div>
      )}
    </dialog>
  );
}
