/**
 * npm run bench:metrics [-- --tenants 50 --n 200]
 * What the API's /metrics costs once it reads the ledger: scrapes of the API registry with the
 * per-tenant Postgres gauges (one transaction per tenant, db/metrics.ts) against, in the same run,
 * the same registry without them (process, HTTP and business metrics only). Each tenant holds
 * 200 orders, 200 fills, 50 decisions, 20 trades and 300 audit rows.
 */
import { createMetrics } from '../api/metrics';
import { createPool } from '../db/client';
import { withTenant } from '../db/tenant';
import { startEphemeralServers } from '../stack/ephemeral-servers';
import { runBench } from './harness';
import { formatSummary, intFlag, runConcurrent, summarize } from './stats';

async function main(): Promise<void> {
  const tenants = intFlag('tenants', 50);
  const n = intFlag('n', 200);
  const servers = await startEphemeralServers({ bundle: false });
  const pool = createPool(servers.db.appUrl, { max: 4 });
  try {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO tenants (slug, name) SELECT 'bench-m-' || g, 'Bench ' || g FROM generate_series(1, $1) g
       RETURNING id`,
      [tenants],
    );
    for (const { id } of rows)
      await withTenant(pool, id, async ({ client }) => {
        await client.query(
          `INSERT INTO orders (tenant_id, tag, broker, instrument, tradingsymbol, side, quantity, order_type, status)
           SELECT $1, 'T' || g, 'paper', 'NIFTY', 'NIFTY26MAY24000CE', 'BUY', 65, 'MARKET',
                  (ARRAY['FILLED', 'REJECTED', 'CANCELLED'])[1 + g % 3]
             FROM generate_series(1, 200) g`,
          [id],
        );
        await client.query(
          `INSERT INTO fills (tenant_id, id, order_tag, quantity, price, filled_at)
           SELECT $1, 'f' || g, 'T' || g, 65, 101.5, now() FROM generate_series(1, 200) g`,
          [id],
        );
        await client.query(
          `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots, status)
           SELECT $1, 'd' || g, '2026-05-06', 'wf', 'run', 'IRON_CONDOR', 'NIFTY', 1,
                  (ARRAY['trade', 'abstain', 'refused'])[1 + g % 3]
             FROM generate_series(1, 50) g`,
          [id],
        );
        await client.query(
          `INSERT INTO trades (tenant_id, id, decision_id, workflow_id, run_id, structure, instrument, status)
           SELECT $1, 'tr' || g, 'd' || g, 'wf', 'run', 'IRON_CONDOR', 'NIFTY', 'filled' FROM generate_series(1, 20) g`,
          [id],
        );
        await client.query(
          `INSERT INTO audit_log (tenant_id, event_type, payload, seq, prev_hash, hash)
           SELECT $1, (ARRAY['order.placed', 'trade.recorded', 'kill_switch.set'])[1 + g % 3], '{}', 0, '', ''
             FROM generate_series(1, 300) g`,
          [id],
        );
      });

    const plain = createMetrics();
    const ledger = createMetrics({ pool });
    const scrape = (m: ReturnType<typeof createMetrics>) => () =>
      runConcurrent(n, 1, async () => void (await m.registry.metrics()));
    await scrape(plain)(); // warm-up
    await scrape(ledger)();
    const results = [
      ['registry only (baseline)', await scrape(plain)()],
      [`with ledger gauges (${tenants} tenants)`, await scrape(ledger)()],
    ] as const;
    const out = await ledger.registry.metrics();
    console.log(`\nbench:metrics — ${n} sequential scrapes each, embedded PostgreSQL on this machine`);
    const s = results.map(([label, r]) => [label, summarize(r.samples, r.wallMs)] as const);
    for (const [label, sum] of s) console.log(formatSummary(label, sum));
    const [base, withLedger] = [s[0][1], s[1][1]];
    console.log(
      `ledger gauges add p50 +${(withLedger.p50 - base.p50).toFixed(1)} ms, ` +
        `p99 +${(withLedger.p99 - base.p99).toFixed(1)} ms ` +
        `per scrape (${((withLedger.p50 - base.p50) / tenants).toFixed(2)} ms per tenant at p50); ` +
        `scrape size ${(out.length / 1024).toFixed(0)} kB, ` +
        `${out.split('\n').filter((l) => l.startsWith('qs_ledger_orders{')).length} qs_ledger_orders series`,
    );
  } finally {
    await pool.end();
    await servers.stop();
  }
}

runBench(main);
