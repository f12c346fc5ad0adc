/**
 * One sample row per tenant table, for isolation probes. A new tenant table without an entry
 * here fails the isolation test on purpose: every tenant table must be probed.
 */
import type { PoolClient } from 'pg';

type Insert = (c: PoolClient, tenantId: number, n: number) => Promise<unknown>;

export const TENANT_TABLE_FIXTURES: Record<string, Insert> = {
  users: (c, t, n) =>
    c.query("INSERT INTO users (tenant_id, email, password_hash, role) VALUES ($1, $2, 'x', 'trader')", [
      t,
      `u${n}@t${t}.test`,
    ]),
  audit_log: (c, t, n) =>
    c.query(
      `INSERT INTO audit_log (tenant_id, event_type, payload, seq, prev_hash, hash)
        VALUES ($1, 'probe', $2, 0, '', '')`,
      [t, { n }],
    ),
  user_tokens: (c, t, n) =>
    c.query(
      `INSERT INTO user_tokens (tenant_id, digest, purpose, email, role, expires_at)
        VALUES ($1, $2, 'invite', 'p@t.test', 'trader', now())`,
      [t, `probe-${n}`],
    ),
  api_events: (c, t, n) =>
    c.query("INSERT INTO api_events (tenant_id, channel, payload) VALUES ($1, 'orders', $2)", [t, { n }]),
  kill_switches: (c, t, n) =>
    c.query(
      `INSERT INTO kill_switches (tenant_id, scope, target, active, reason)
        VALUES ($1, 'strategy', $2, false, 'probe')`,
      [t, `s${n}`],
    ),
  tenant_trading_state: (c, t) =>
    c.query('INSERT INTO tenant_trading_state (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [t]),
  trading_days: (c, t, n) =>
    c.query(
      'INSERT INTO trading_days (tenant_id, trading_date, workflow_id, run_id, mode, status, final_state, ' +
        'decisions, trades, refusals, pnl, costs, max_drawdown, summary) ' +
        `VALUES ($1, '2026-01-01'::date + $2::int, 'wf', 'run', 'live', 'completed', 'ACTIVE', 0, 0, '{}', 0, 0,
          0, '{}')`,
      [t, n],
    ),
  hedge_settings: (c, t) => c.query('INSERT INTO hedge_settings (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [t]),
  tenant_limits: (c, t) =>
    c.query(
      `INSERT INTO tenant_limits (tenant_id, max_lots_per_order, max_lots_per_day, max_open_lots, max_daily_loss)
        VALUES ($1, 1, 1, 1, 1) ON CONFLICT DO NOTHING`,
      [t],
    ),
  decisions: (c, t, n) =>
    c.query(
      `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots,
        status)
        VALUES ($1, $2, '2026-05-05', 'wf', 'run', 'iron_condor', 'NIFTY', 1, 'probe')`,
      [t, `d${n}`],
    ),
  orders: (c, t, n) =>
    c.query(
      `INSERT INTO orders (tenant_id, tag, broker, instrument, tradingsymbol, side, quantity, order_type,
        status)
        VALUES ($1, $2, 'paper', 'NIFTY', 'NIFTY26MAY24000CE', 'BUY', 65, 'MARKET', 'FILLED')`,
      [t, `T${t}N${n}`],
    ),
  fills: (c, t, n) =>
    c.query(
      `INSERT INTO fills (tenant_id, id, order_tag, quantity, price, filled_at)
        VALUES ($1, $2, 'tag', 65, 101.5, now())`,
      [t, `f${n}`],
    ),
  positions: (c, t, n) =>
    c.query(
      `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
        VALUES ($1, $2, 'NIFTY', 65, 100)`,
      [t, `SYM${n}`],
    ),
  trades: (c, t, n) =>
    c.query(
      `INSERT INTO trades (tenant_id, id, decision_id, workflow_id, run_id, structure, instrument, status)
        VALUES ($1, $2, 'd', 'wf', 'run', 'iron_condor', 'NIFTY', 'filled')`,
      [t, `tr${n}`],
    ),
  reconciliation_runs: (c, t, n) =>
    c.query(
      `INSERT INTO reconciliation_runs (tenant_id, workflow_id, run_id, clean, ledger_orders, broker_orders)
        VALUES ($1, $2, $3, true, 0, 0)`,
      [t, `wf${n}`, `r${n}`],
    ),
  model_versions: (c, t, n) =>
    c.query(
      `INSERT INTO model_versions (type_id, tenant_id, version, framework, artifact, sha256, size_bytes,
        metadata, feature_schema, training_data_version)
        VALUES ('probe', $1, $2, 'json', '\\x00', 'h', 1, '{}', '[]', $3)`,
      [t, n, `dv${n}`],
    ),
  broker_accounts: (c, t) =>
    c.query("INSERT INTO broker_accounts (tenant_id, broker) VALUES ($1, 'paper') ON CONFLICT DO NOTHING", [t]),
  paper_accounts: (c, t) =>
    c.query(
      "INSERT INTO paper_accounts (tenant_id, exchange_state, market) VALUES ($1, '{}', '{}') ON CONFLICT DO NOTHING",
      [t],
    ),
  paper_closed_orders: (c, t, n) =>
    c.query(
      "INSERT INTO paper_closed_orders (tenant_id, order_id, seq, tag, exchange_order) VALUES ($1, $2, $3, $2, '{}')",
      [t, `PX${n}`, n],
    ),
  synthetic_trades: (c, t, n) =>
    c.query(
      `INSERT INTO synthetic_trades (tenant_id, simulation_id, persona_id, seq, trading_date, persona_archetype,
        bias_type, psych_state, knob, structure, instrument, lots, hedged, futures_lots, entry_minute,
        exit_minute, exit_reason, legs, gross_pnl, charges, net_pnl, workflow_id)
        VALUES ($1, 'probe', 'P05', $2, '2026-05-05', 'aggressor', 'none', 'rational', 75, 'IRON_CONDOR',
        'NIFTY', 1, false, 0, 15, 370, 'close', '[]', 0, 0, 0, 'wf')`,
      [t, n],
    ),
  model_promotions: async (c, t, n) => {
    const { rows } = await c.query(
      `INSERT INTO model_versions (type_id, tenant_id, version, framework, artifact, sha256, size_bytes,
        metadata, feature_schema, training_data_version)
        VALUES ($2, $1, 1, 'json', '\\x00', 'h', 1, '{}', '[]', 'dv')
        RETURNING id`,
      [t, `promo${n}`],
    );
    return c.query(
      `INSERT INTO model_promotions (type_id, tenant_id, to_version_id, kind, actor)
        VALUES ($2, $1, $3, 'promote', 'probe')`,
      [t, `promo${n}`, rows[0].id],
    );
  },
  model_pointers: async (c, t, n) => {
    const { rows } = await c.query(
      `INSERT INTO model_versions (type_id, tenant_id, version, framework, artifact, sha256, size_bytes,
        metadata, feature_schema, training_data_version)
        VALUES ($2, $1, 1, 'json', '\\x00', 'h', 1, '{}', '[]', 'dv')
        RETURNING id`,
      [t, `ptr${n}`],
    );
    return c.query('INSERT INTO model_pointers (type_id, tenant_id, version_id) VALUES ($2, $1, $3)', [
      t,
      `ptr${n}`,
      rows[0].id,
    ]);
  },
  telegram_bot: (c, t) =>
    c.query(
      "INSERT INTO telegram_bot (tenant_id, token_sealed, api_root) VALUES ($1, 'x', 'http://x') ON CONFLICT DO NOTHING",
      [t],
    ),
  telegram_link_codes: (c, t, n) =>
    c.query(
      `WITH u AS (INSERT INTO users (tenant_id, email, password_hash, role)
        VALUES ($1, $2, 'x', 'trader') RETURNING id)
       INSERT INTO telegram_link_codes (tenant_id, digest, user_id, expires_at) SELECT $1, $2, id, now() FROM u`,
      [t, `tgc${n}@t${t}.test`],
    ),
  telegram_links: (c, t, n) =>
    c.query(
      `WITH u AS (INSERT INTO users (tenant_id, email, password_hash, role)
        VALUES ($1, $2, 'x', 'trader') RETURNING id)
       INSERT INTO telegram_links (tenant_id, user_id, chat_id, telegram_user_id, audit_cursor)
        SELECT $1, id, 1, 1, 0 FROM u`,
      [t, `tgl${n}@t${t}.test`],
    ),
  notifications: (c, t, n) =>
    c.query(
      `WITH u AS (INSERT INTO users (tenant_id, email, password_hash, role)
        VALUES ($1, $2, 'x', 'trader') RETURNING id),
       l AS (INSERT INTO telegram_links (tenant_id, user_id, chat_id, telegram_user_id, audit_cursor)
        SELECT $1, id, 1, 1, 0 FROM u RETURNING id)
       INSERT INTO notifications (tenant_id, link_id, audit_seq, event_type, body)
        SELECT $1, id, 1, 'probe', 'probe' FROM l`,
      [t, `tgn${n}@t${t}.test`],
    ),
};
