/** The intraday P&L curve with its drawdown (uPlot, bundled: nothing loads from a CDN). */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LiveFeed } from '../live';
import { useChannel } from '../live';
import type { PnlPoint } from '../types';
import { Empty, Panel } from '../panel';
import { rupees } from '../format';

interface Point {
  t: number;
  pnl: string;
  drawdown: string;
}

export function PnlPanel({ feed }: { feed: LiveFeed }) {
  const points = useChannel<Point[]>(
    feed,
    'pnl',
    [],
    (state, prev) => (state ? (state as PnlPoint[]).map(toPoint) : prev),
    (list, e) => [...list, toPoint(e.payload as PnlPoint)].slice(-2000),
  );
  const last = points[points.length - 1];
  return (
    <Panel id="pnl" title="P&L today" wide>
      <p class="figures">
        <span>
          P&amp;L <strong data-testid="pnl-now">{rupees(last?.pnl)}</strong>
        </span>
        <span>
          Max drawdown <strong>{rupees(last?.drawdown)}</strong>
        </span>
      </p>
      {points.length === 0 ? <Empty>No P&amp;L yet today.</Empty> : <Chart points={points} />}
    </Panel>
  );
}

const toPoint = (p: PnlPoint): Point => ({ t: Date.parse(p.at) / 1000, pnl: p.pnl, drawdown: p.maxDrawdown });

// Plotting is the one place rupees become floats: pixels, not money.
const series = (points: Point[]): uPlot.AlignedData => [
  points.map((p) => p.t),
  points.map((p) => Number(p.pnl)),
  points.map((p) => -Math.abs(Number(p.drawdown))),
];

function Chart({ points }: { points: Point[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const el = host.current!;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: 220,
      series: [
        {},
        { label: 'P&L (₹)', stroke: '#0b6e4f', width: 2 },
        { label: 'Drawdown (₹)', stroke: '#b42318', fill: 'rgba(180,35,24,0.08)', width: 1 },
      ],
      axes: [{}, { size: 70 }],
    };
    plot.current = new uPlot(opts, series(points), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, []);
  useEffect(() => {
    plot.current?.setData(series(points));
  }, [points]);
  return <div ref={host} class="chart" role="img" aria-label={`P&L curve, ${points.length} points`} />;
}
