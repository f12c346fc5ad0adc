/**
 * The day's P&L (GET …/pnl/{date}): the realised curve from its fills, in market time, with its
 * drawdown (uPlot, bundled: nothing loads from a CDN), and the running day's marked P&L as a figure.
 * Re-read when the page hears of fills, positions or the day changing. Figures are the API's exact
 * rupees; only the plot turns them into floats.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get } from '../api';
import type { LiveFeed } from '../live';
import { istToday, useLiveReload } from '../reload';
import type { DayPnl } from '../types';
import { Empty, Panel } from '../panel';
import { rupees, signOf } from '../format';

export function PnlPanel({ feed, slug, date }: { feed: LiveFeed; slug: string; date?: string }) {
  const day = date ?? istToday();
  const [pnl, setPnl] = useState<DayPnl | null>(null);
  useLiveReload(
    feed,
    ['pnl', 'orders', 'positions', 'trading-state'],
    () => get('/t/{slug}/api/v1/pnl/{date}', { slug, params: { date: day } }).then((a) => setPnl(a as DayPnl)),
    [slug, day],
    5_000,
  );
  const now = pnl?.summary?.pnl ?? pnl?.live?.pnl ?? pnl?.realised.curve.at(-1)?.pnl ?? null;
  const drawdown = pnl?.summary?.maxDrawdown ?? pnl?.realised.maxDrawdown ?? null;
  const curve = pnl?.realised.curve ?? [];
  return (
    <Panel id="pnl" title={`P&L ${day}`} wide>
      <p class="figures">
        <span>
          P&amp;L{pnl?.live ? ' (marked)' : ''}{' '}
          <strong data-testid="pnl-now" class={signOf(now) < 0 ? 'neg' : ''}>
            {rupees(now)}
          </strong>
        </span>
        <span>
          Max drawdown (realised) <strong>{rupees(drawdown)}</strong>
        </span>
        {pnl?.summary && <span>Costs {rupees(pnl.summary.costs)}</span>}
      </p>
      {curve.length === 0 ? <Empty>Nothing realised yet on {day}.</Empty> : <Chart curve={curve} />}
    </Panel>
  );
}

type Curve = DayPnl['realised']['curve'];

/** x: seconds; the realised P&L; its drawdown from the running peak (the start counts as a peak at zero). */
function series(curve: Curve): uPlot.AlignedData {
  let peak = 0;
  const pnl = curve.map((p) => Number(p.pnl));
  const drawdown = pnl.map((v) => ((peak = Math.max(peak, v)), v - peak));
  return [curve.map((p) => Date.parse(p.at) / 1000), pnl, drawdown];
}

function Chart({ curve }: { curve: Curve }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const el = host.current!;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: 220,
      series: [
        {},
        { label: 'Realised P&L (₹)', stroke: '#0b6e4f', width: 2 },
        { label: 'Drawdown (₹)', stroke: '#b42318', fill: 'rgba(180,35,24,0.08)', width: 1 },
      ],
      axes: [{}, { size: 70 }],
    };
    plot.current = new uPlot(opts, series(curve), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, []);
  useEffect(() => {
    plot.current?.setData(series(curve));
  }, [curve]);
  return (
    <div ref={host} class="chart" role="img" aria-label={`Realised P&L curve and drawdown, ${curve.length} fills`} />
  );
}
