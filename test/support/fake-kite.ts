/**
 * A local fake of Kite Connect v3 over real HTTP (node:http): the endpoints the adapter uses,
 * its headers, form-encoded bodies and JSON envelope, per-account rate limits (HTTP 429 above
 * 10 orders/s), postbacks with Kite's checksum, and scripted misbehaviour: a POST that never
 * answers (or answers HTTP 400 "request timed out") while the order still appears seconds
 * later, definite rejections, orders that do not fill, trades the /trades endpoint omits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postbackChecksum } from '../../broker/kite/postback';
import type { KiteOrder, KiteTrade } from '../../broker/kite/kite-broker';
import type { OrderSide } from '../../domain/orders';

export type PlaceScript =
  | { kind: 'ok' }
  | { kind: 'hang_then_create'; createAfterMs: number }
  | { kind: 'http400_timeout_then_create'; createAfterMs: number }
  | { kind: 'error'; status: number; errorType: string; message: string };

/** Kite's order as the adapter reads it, with what the fake always fills in. */
export type FakeOrder = Omit<KiteOrder, 'order_timestamp'> & {
  order_timestamp: string;
  product: string;
  validity: string;
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
  readonly requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  postbackUrl: string | null = null;
  readonly postbacksSent: Array<{ status: number; order_id: string }> = [];
  private seq = 250_000_000_000_000;
  private tradeSeq = 90_000_000;
  private placeTimes: number[] = [];
  private server?: http.Server;
  private timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(readonly creds: { apiKey: string; accessToken: string; apiSecret: string }) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  ordersWithTag(tag: string): FakeOrder[] {
    return [...this.orders.values()].filter((o) => o.tag === tag);
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
      this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      if (req.headers['x-kite-version'] !== '3')
        return this.fail(res, 400, 'InputException', 'X-Kite-Version header must be 3');
      if (req.headers.authorization !== `token ${this.creds.apiKey}:${this.creds.accessToken}`)
        return this.fail(res, 403, 'TokenException', 'Incorrect `api_key` or `access_token`.');
      const form = Object.fromEntries(new URLSearchParams(body));
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
      case 'error':
        return this.fail(res, script.status, script.errorType, script.message);
    }
  }

  private create(form: Record<string, string>): FakeOrder {
    const id = String(this.seq++);
    const qty = Number(form.quantity);
    const o: FakeOrder = {
      order_id: id,
      status: 'OPEN',
      status_message: null,
      order_timestamp: istNow(),
      exchange_timestamp: istNow(),
      exchange: form.exchange ?? 'NFO',
      tradingsymbol: form.tradingsymbol!,
      order_type: form.order_type ?? 'LIMIT',
      transaction_type: form.transaction_type as OrderSide,
      product: form.product ?? 'NRML',
      validity: form.validity ?? 'DAY',
      quantity: qty,
      price: Number(form.price ?? 0),
      average_price: 0,
      filled_quantity: 0,
      pending_quantity: qty,
      cancelled_quantity: 0,
      tag: form.tag || null,
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
    if (o.status !== 'OPEN')
      return this.fail(res, 400, 'InputException', `Order cannot be modified as it is ${o.status.toLowerCase()}.`);
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
