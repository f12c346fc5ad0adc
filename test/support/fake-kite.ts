/**
 * A local fake of Kite Connect v3 over real HTTP (node:http), as strict as the real one where it
 * matters for money: the endpoints the adapter uses, its headers, form-encoded bodies and JSON
 * envelope, 19-digit order ids, per-account rate limits (HTTP 429 above 10 orders/s), MARKET
 * orders refused without market protection (Kite's message since April 2026; a protected one is
 * kept as order_type LIMIT with `mktp` in its tags — and in `tag`, the harder case for finding
 * ours), cancels and modifies refused as "being processed" for a configurable window after an
 * order is placed, the day's NFO instruments CSV (unknown symbols refused), the login flow
 * (`POST /session/token` with its checksum; `expireSession()` makes the token fail with
 * TokenException), postbacks with Kite's checksum, and scripted misbehaviour: a POST that never
 * answers (or answers HTTP 400 "request timed out") while the order still appears seconds
 * later, definite rejections, orders that do not fill, trades the /trades endpoint omits.
 * Every request is recorded with its arrival time and parsed form (`requests`).
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { postbackChecksum } from '../../broker/kite/postback';
import type { KiteOrder, KiteTrade } from '../../broker/kite/kite-broker';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { saveKiteAccount, saveKiteSession, type KiteAccountSettings } from '../../db/broker-credentials';
import { staticKeyProvider, type KeyProvider } from '../../db/secret-box';
import { withTenant } from '../../db/tenant';
import { listExpiries } from '../../domain/calendar';
import { lotSize } from '../../domain/instruments';
import type { OrderSide } from '../../domain/orders';
import type { PlaceOrderRequest } from '../../broker/port';
import type { OrderLeg, OrderPlacementInput, OrderPlacementOptions } from '../../contracts/orders';
import { testPool } from './env';
import { createTenant, FAST } from './orders-env';

/** The test run's QS_SECRETS_KEY (workers and the API in this process open secrets with it). */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');
process.env.QS_SECRETS_KEY ||= TEST_SECRETS_KEY;
export const testKeys = (): KeyProvider => staticKeyProvider([Buffer.from(TEST_SECRETS_KEY, 'base64')]);

export const MARKET_PROTECTION_REQUIRED =
  'Market orders without market protection are not allowed via API. Please set market protection or use a Limit order.';

export type PlaceScript =
  | { kind: 'ok' }
  | { kind: 'hang_then_create'; createAfterMs: number }
  | { kind: 'http400_timeout_then_create'; createAfterMs: number }
  /** A gateway answers 200 with a page, not the envelope, and the order was created. */
  | { kind: 'non_json_2xx' }
  | { kind: 'error'; status: number; errorType: string; message: string };

/** Kite's order as the adapter reads it, with what the fake always fills in. */
export type FakeOrder = Omit<KiteOrder, 'order_timestamp' | 'tags' | 'market_protection'> & {
  order_timestamp: string;
  product: string;
  validity: string;
  tags: string[];
  market_protection: number;
  algo_id: string | null;
};

export type FakeTrade = Omit<KiteTrade, 'fill_timestamp' | 'exchange_timestamp'> & {
  fill_timestamp: string;
  exchange_timestamp: string;
};

const istNow = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 19).replace('T', ' ');

export class FakeKite {
  readonly orders = new Map<string, FakeOrder>();
  readonly trades: FakeTrade[] = [];
  /** Consumed one per POST /orders/regular; empty → 'ok'. */
  readonly placeScript: PlaceScript[] = [];
  /** Tags or symbols whose orders rest without filling. */
  readonly noFill = new Set<string>();
  /** Order ids whose trades /trades does not list (fills known only from the order). */
  readonly hiddenTrades = new Set<string>();
  placeRequests = 0;
  rateLimited = 0;
  readonly requests: Array<{
    at: number;
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    form: Record<string, string>;
  }> = [];
  postbackUrl: string | null = null;
  readonly postbacksSent: Array<{ status: number; order_id: string }> = [];
  /** Cancels and modifies within this many ms of an order's placement are refused as "being processed". */
  processingMs = 0;
  /** The fake's client id (returned by /session/token). */
  readonly userId = `QS${randomBytes(2).toString('hex').toUpperCase()}`;
  accessToken: string;
  private readonly requestTokens = new Set<string>();
  private readonly placedAt = new Map<string, number>();
  private instrumentsCsv?: string;
  private listed?: Map<string, number>;
  /** Kite's order ids are 19 digits now (past 2^53: strings, never numbers). */
  private seq = 2_605_060_000_000_000_001n;
  private tradeSeq = 90_000_000;
  private placeTimes: number[] = [];
  private server?: http.Server;
  private timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(
    readonly creds: { apiKey: string; accessToken: string; apiSecret: string },
    /** Today's instrument list: NIFTY weeklies and BANKNIFTY monthlies from `from` (default April 2026). */
    private readonly listing = { from: '2026-04-01', weeks: 40 },
  ) {
    this.accessToken = creds.accessToken;
  }

  /** What Kite's login page hands the redirect URL: a single-use request token. */
  issueRequestToken(): string {
    const t = randomBytes(16).toString('hex');
    this.requestTokens.add(t);
    return t;
  }

  /** 06:00 IST came: the access token no longer works (TokenException). */
  expireSession(): void {
    this.accessToken = `expired-${randomBytes(4).toString('hex')}`;
  }

  /** Order placements received (POST /orders/regular), with arrival times and forms. */
  placements() {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/orders/regular');
  }

  /** The most placement requests that arrived within any one-second window. */
  maxPlacementsPerSecond(): number {
    const at = this.placements().map((r) => r.at);
    let max = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[i]! - at[j]! >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.instruments();
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  ordersWithTag(tag: string): FakeOrder[] {
    return [...this.orders.values()].filter((o) => o.tag === tag || o.tags.includes(tag));
  }

  /** An order placed by hand on the Kite app (not by Quantsentinel). */
  placeExternal(o: {
    tradingsymbol: string;
    side: OrderSide;
    quantity: number;
    price: number;
    tag?: string;
  }): FakeOrder {
    return this.create({
      tradingsymbol: o.tradingsymbol,
      transaction_type: o.side,
      quantity: String(o.quantity),
      price: String(o.price),
      order_type: 'LIMIT',
      exchange: 'NFO',
      product: 'NRML',
      tag: o.tag ?? '',
    });
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => (this.timers.delete(t), fn()), ms);
    this.timers.add(t);
  }

  private send(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private fail(res: http.ServerResponse, status: number, errorType: string, message: string) {
    this.send(res, status, { status: 'error', error_type: errorType, message, data: null });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0]!;
      const form = Object.fromEntries(new URLSearchParams(body));
      this.requests.push({ at: Date.now(), method: req.method ?? '', path, headers: req.headers, body, form });
      if (req.headers['x-kite-version'] !== '3')
        return this.fail(res, 400, 'InputException', 'X-Kite-Version header must be 3');
      if (req.method === 'POST' && path === '/session/token') return this.session(res, form);
      if (req.headers.authorization !== `token ${this.creds.apiKey}:${this.accessToken}`)
        return this.fail(res, 403, 'TokenException', 'Incorrect `api_key` or `access_token`.');
      if (req.method === 'GET' && path === '/instruments/NFO') {
        res.writeHead(200, { 'Content-Type': 'text/csv' });
        return res.end(this.instruments());
      }
      const m = /^\/orders\/regular\/([^/]+)$/.exec(path);
      if (req.method === 'POST' && path === '/orders/regular') return this.place(res, form);
      if (req.method === 'PUT' && m) return this.modify(res, m[1]!, form);
      if (req.method === 'DELETE' && m) return this.cancel(res, m[1]!);
      if (req.method === 'GET' && path === '/orders')
        return this.send(res, 200, { status: 'success', data: [...this.orders.values()] });
      const one = /^\/orders\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && one) {
        const o = this.orders.get(one[1]!);
        return o
          ? this.send(res, 200, {
              status: 'success',
              data: [{ ...o, status: 'PUT ORDER REQ RECEIVED', filled_quantity: 0 }, o],
            })
          : this.fail(res, 400, 'InputException', "Couldn't find that order.");
      }
      if (req.method === 'GET' && path === '/trades')
        return this.send(res, 200, {
          status: 'success',
          data: this.trades.filter((t) => !this.hiddenTrades.has(t.order_id)),
        });
      if (req.method === 'GET' && path === '/portfolio/positions')
        return this.send(res, 200, { status: 'success', data: { net: this.positions(), day: this.positions() } });
      if (req.method === 'GET' && path === '/user/margins')
        return this.send(res, 200, {
          status: 'success',
          data: {
            equity: {
              enabled: true,
              net: 500000,
              available: { live_balance: 500000, cash: 500000 },
              utilised: { debits: 0 },
            },
          },
        });
      this.fail(res, 404, 'GeneralException', `no route ${req.method} ${path}`);
    });
  }

  private place(res: http.ServerResponse, form: Record<string, string>) {
    this.placeRequests++;
    const now = Date.now();
    this.placeTimes = this.placeTimes.filter((t) => t > now - 1000);
    if (this.placeTimes.length >= 10) {
      this.rateLimited++;
      return this.fail(res, 429, 'NetworkException', 'Too many requests');
    }
    this.placeTimes.push(now);
    if (form.tag && !/^[A-Za-z0-9]{1,20}$/.test(form.tag))
      return this.fail(res, 400, 'InputException', 'Tag length should be less than 20 and alphanumeric.');
    if (form.order_type === 'MARKET') {
      const refusal = this.protectionRefusal(form.market_protection);
      if (refusal) return this.fail(res, 400, 'InputException', refusal);
    }
    this.instruments();
    const lot = this.listed!.get(form.tradingsymbol ?? '');
    if (lot === undefined)
      return this.fail(
        res,
        400,
        'InputException',
        'The instrument you are placing an order for has either expired or does not exist.',
      );
    if (Number(form.quantity) % lot !== 0)
      return this.fail(res, 400, 'InputException', `Quantity should be a multiple of lot size (${lot}).`);
    const script = this.placeScript.shift() ?? { kind: 'ok' };
    switch (script.kind) {
      case 'ok':
        return this.send(res, 200, { status: 'success', data: { order_id: this.create(form).order_id } });
      case 'hang_then_create':
        // Never answer: the client times out, and the order appears later anyway.
        return this.later(script.createAfterMs, () => this.create(form));
      case 'http400_timeout_then_create':
        this.later(script.createAfterMs, () => this.create(form));
        return this.fail(res, 400, 'InputException', 'Request timed out. Please try again.');
      case 'non_json_2xx':
        this.create(form);
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html><body>upstream answered</body></html>');
      case 'error':
        return this.fail(res, script.status, script.errorType, script.message);
    }
  }

  private create(form: Record<string, string>): FakeOrder {
    const id = String(this.seq++);
    const qty = Number(form.quantity);
    const protection = Number(form.market_protection ?? 0);
    // A protected market order rests as a LIMIT at its protection price; Kite tags it `mktp`.
    const protectedMarket = form.order_type === 'MARKET' && protection !== 0;
    const tags = [...(protectedMarket ? ['mktp'] : []), ...(form.tag ? [form.tag] : [])];
    this.placedAt.set(id, Date.now());
    const o: FakeOrder = {
      order_id: id,
      status: 'OPEN',
      status_message: null,
      order_timestamp: istNow(),
      exchange_timestamp: istNow(),
      exchange: form.exchange ?? 'NFO',
      tradingsymbol: form.tradingsymbol!,
      order_type: protectedMarket ? 'LIMIT' : (form.order_type ?? 'LIMIT'),
      transaction_type: form.transaction_type as OrderSide,
      product: form.product ?? 'NRML',
      validity: form.validity ?? 'DAY',
      quantity: qty,
      price: Number(form.price ?? 0),
      average_price: 0,
      filled_quantity: 0,
      pending_quantity: qty,
      cancelled_quantity: 0,
      tag: tags[0] ?? null,
      tags,
      market_protection: protection,
      algo_id: form.algo_id ?? null,
    };
    this.orders.set(id, o);
    if (!this.noFill.has(o.tag ?? '') && !this.noFill.has(o.tradingsymbol)) this.fill(o, qty);
    else this.postback(o);
    return o;
  }

  private fill(o: FakeOrder, qty: number) {
    const px = o.price || 100;
    this.trades.push({
      trade_id: String(this.tradeSeq++),
      order_id: o.order_id,
      exchange: o.exchange,
      tradingsymbol: o.tradingsymbol,
      transaction_type: o.transaction_type,
      quantity: qty,
      average_price: px,
      fill_timestamp: istNow(),
      exchange_timestamp: istNow(),
    });
    o.average_price = px;
    o.filled_quantity += qty;
    o.pending_quantity = o.quantity - o.filled_quantity;
    if (o.pending_quantity === 0) o.status = 'COMPLETE';
    this.postback(o);
  }

  private modify(res: http.ServerResponse, id: string, form: Record<string, string>) {
    const o = this.orders.get(id);
    if (!o) return this.fail(res, 400, 'InputException', "Couldn't find that order.");
    if (o.status === 'OPEN' && this.processing(id))
      return this.fail(res, 400, 'InputException', 'Order cannot be modified as it is being processed. Try later.');
    if (o.status !== 'OPEN')
      return this.fail(res, 400, 'InputException', `Order cannot be modified as it is ${o.status.toLowerCase()}.`);
    if (form.order_type === 'MARKET' && o.market_protection === 0) {
      const refusal = this.protectionRefusal(form.market_protection);
      if (refusal) return this.fail(res, 400, 'InputException', refusal);
      o.market_protection = Number(form.market_protection);
      if (!o.tags.includes('mktp')) o.tags.unshift('mktp');
      o.tag = o.tags[0]!;
    }
    if (form.price) o.price = Number(form.price);
    if (form.quantity) {
      o.quantity = Number(form.quantity);
      o.pending_quantity = o.quantity - o.filled_quantity;
    }
    this.send(res, 200, { status: 'success', data: { order_id: id } });
  }

  private cancel(res: http.ServerResponse, id: string) {
    const o = this.orders.get(id);
    if (!o) return this.fail(res, 400, 'InputException', "Couldn't find that order.");
    if (o.status === 'OPEN' && this.processing(id))
      return this.fail(res, 400, 'InputException', 'Order cannot be cancelled as it is being processed. Try later.');
    if (o.status !== 'OPEN')
      return this.fail(
        res,
        400,
        'InputException',
        `Order cannot be cancelled as it is ${o.status === 'COMPLETE' ? 'already completed' : o.status.toLowerCase()}.`,
      );
    o.status = 'CANCELLED';
    o.cancelled_quantity = o.pending_quantity;
    o.pending_quantity = 0;
    this.postback(o);
    this.send(res, 200, { status: 'success', data: { order_id: id } });
  }

  private processing(id: string): boolean {
    return Date.now() - (this.placedAt.get(id) ?? 0) < this.processingMs;
  }

  /** Kite's refusal of a market order's protection value, or null when it is acceptable. */
  private protectionRefusal(value: string | undefined): string | null {
    if (value === undefined || value === '' || Number(value) === 0) return MARKET_PROTECTION_REQUIRED;
    const p = Number(value);
    if (p === -1 || (p > 0 && p <= 100)) return null;
    return `Invalid market protection (got: ${value}). Use -1 for automatic or a percentage up to 100.`;
  }

  /** The day's NFO instrument dump (Kite's CSV columns), options of the configured expiries. */
  private instruments(): string {
    if (this.instrumentsCsv) return this.instrumentsCsv;
    const rows = [
      'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,' +
        'instrument_type,segment,exchange',
    ];
    this.listed = new Map();
    let token = 10_000_000;
    const specs = [
      { instrument: 'NIFTY' as const, count: this.listing.weeks, lo: 18_000, hi: 32_000, step: 50 },
      { instrument: 'BANKNIFTY' as const, count: Math.ceil(this.listing.weeks / 4), lo: 40_000, hi: 70_000, step: 100 },
    ];
    for (const sp of specs)
      for (const expiry of listExpiries(sp.instrument, this.listing.from, sp.count)) {
        const lot = lotSize(sp.instrument, expiry);
        // The symbol's prefix depends on the expiry only (weekly or monthly form): build it once.
        const one = formatTradingsymbol({ instrument: sp.instrument, expiry, strike: sp.lo, type: 'call' });
        const prefix = one.slice(0, one.length - String(sp.lo).length - 2);
        for (let strike = sp.lo; strike <= sp.hi; strike += sp.step)
          for (const type of ['call', 'put'] as const) {
            const sym = `${prefix}${strike}${type === 'call' ? 'CE' : 'PE'}`;
            this.listed.set(sym, lot);
            rows.push(
              `${token++},${token % 100_000},${sym},"${sp.instrument}",0,${expiry},${strike},0.05,${lot},` +
                `${type === 'call' ? 'CE' : 'PE'},NFO-OPT,NFO`,
            );
          }
      }
    this.instrumentsCsv = rows.join('\n') + '\n';
    return this.instrumentsCsv;
  }

  /** POST /session/token: a single-use request token and SHA-256(api_key + request_token + api_secret). */
  private session(res: http.ServerResponse, form: Record<string, string>) {
    const token = form.request_token ?? '';
    const expected = createHash('sha256').update(`${form.api_key}${token}${this.creds.apiSecret}`).digest('hex');
    if (form.api_key !== this.creds.apiKey || !this.requestTokens.has(token) || form.checksum !== expected)
      return this.fail(res, 403, 'TokenException', 'Token is invalid or has expired.');
    this.requestTokens.delete(token);
    this.accessToken = randomBytes(16).toString('hex');
    this.send(res, 200, {
      status: 'success',
      data: {
        user_id: this.userId,
        user_type: 'individual',
        broker: 'ZERODHA',
        api_key: this.creds.apiKey,
        access_token: this.accessToken,
        public_token: randomBytes(8).toString('hex'),
        login_time: istNow(),
      },
    });
  }

  private positions() {
    const net = new Map<string, { qty: number; buyQty: number; buyVal: number; sellQty: number; sellVal: number }>();
    for (const t of this.trades) {
      const p = net.get(t.tradingsymbol) ?? { qty: 0, buyQty: 0, buyVal: 0, sellQty: 0, sellVal: 0 };
      const s = t.transaction_type === 'BUY' ? 1 : -1;
      p.qty += s * t.quantity;
      if (s > 0) {
        p.buyQty += t.quantity;
        p.buyVal += t.quantity * t.average_price;
      } else {
        p.sellQty += t.quantity;
        p.sellVal += t.quantity * t.average_price;
      }
      net.set(t.tradingsymbol, p);
    }
    return [...net.entries()].map(([tradingsymbol, p]) => ({
      tradingsymbol,
      exchange: 'NFO',
      product: 'NRML',
      quantity: p.qty,
      average_price: p.qty > 0 ? p.buyVal / p.buyQty : p.qty < 0 ? p.sellVal / p.sellQty : 0,
    }));
  }

  private postback(o: FakeOrder) {
    if (!this.postbackUrl) return;
    const payload = {
      ...o,
      user_id: 'AB1234',
      checksum: postbackChecksum(o.order_id, o.order_timestamp, this.creds.apiSecret),
    };
    fetch(this.postbackUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    })
      .then((r) => this.postbacksSent.push({ status: r.status, order_id: o.order_id }))
      .catch(() => undefined);
  }
}

/**
 * A tenant's Kite account on a fake, written the way production writes it: settings, the API
 * secret sealed, and a session from the fake's own login flow unless `session: false`.
 */
export async function sealedKiteAccount(
  pool: Pool,
  tenantId: number,
  fake: FakeKite,
  settings: KiteAccountSettings = {},
  opts: { session?: boolean; issuedAt?: Date } = {},
): Promise<void> {
  const keys = testKeys();
  await withTenant(pool, tenantId, (tx) =>
    saveKiteAccount(tx, keys, { baseUrl: fake.url, apiKey: fake.creds.apiKey, ...settings }, fake.creds.apiSecret),
  );
  if (opts.session === false) return;
  await withTenant(pool, tenantId, (tx) =>
    saveKiteSession(tx, keys, {
      accessToken: fake.accessToken,
      userId: fake.userId,
      issuedAt: opts.issuedAt ?? new Date(),
    }),
  );
}

/** Fakes started by a test file, stopped after it. */
export function fakeKites(creds: FakeKite['creds']): () => Promise<FakeKite> {
  const started: FakeKite[] = [];
  afterAll(async () => {
    for (const f of started) await f.stop();
  });
  return async () => {
    const f = await new FakeKite(creds).start();
    started.push(f);
    return f;
  };
}

/** A one-lot NIFTY put order on the 12 May 2026 weekly (listed by every fake). */
export const kiteOrder = (tag: string, over: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({
  tag,
  exchange: 'NFO',
  tradingsymbol: 'NIFTY2651224500PE',
  side: 'SELL',
  quantity: 65,
  orderType: 'LIMIT',
  price: '101.05',
  product: 'NRML',
  ...over,
});

/** A bull put spread's two legs (buy 24300, sell 24500) on the same weekly. */
export function spreadLegs(): OrderLeg[] {
  const mk = (strike: number, side: OrderSide, price: string): OrderLeg => ({
    exchange: 'NFO',
    tradingsymbol: formatTradingsymbol({ instrument: 'NIFTY', expiry: '2026-05-12', strike, type: 'put' }),
    instrument: 'NIFTY',
    expiry: '2026-05-12',
    strike,
    optionType: 'PE',
    side,
    quantity: 65,
    orderType: 'LIMIT',
    limitPrice: price,
    exitPrice: price,
  });
  return [mk(24300, 'BUY', '42.50'), mk(24500, 'SELL', '88.10')];
}

export const spreadInput = (
  tenantId: number,
  decisionId: string,
  options: OrderPlacementOptions = FAST,
): OrderPlacementInput => ({
  tenantId,
  decisionId,
  structure: 'BULL_PUT_SPREAD',
  instrument: 'NIFTY',
  tradingDate: '2026-05-06',
  lots: 1,
  legs: spreadLegs(),
  options,
});

/** A fresh tenant trading through `fake` (armed or not), its account written as production writes it. */
export async function kiteTenant(
  fake: FakeKite,
  opts: { armed: boolean; session?: boolean; issuedAt?: Date } & KiteAccountSettings,
): Promise<number> {
  const { armed, session, issuedAt, ...settings } = opts;
  const pool = testPool('app');
  const { id } = await createTenant(pool, 'kite');
  // Arming is the owner's (qs_set_live_armed in production): qs_app may not update tenants.
  await testPool('admin').query('UPDATE tenants SET live_armed = $2 WHERE id = $1', [id, armed]);
  await sealedKiteAccount(pool, id, fake, { timeoutMs: 800, settleMs: 5000, ...settings }, { session, issuedAt });
  return id;
}
