/**
 * Socket.IO: a socket authenticates at the handshake (the qs_session token in `auth.token`, or
 * the cookie from a same-origin page) and joins its tenant's room. `subscribe` {channel, tenant?}
 * is authorised on every call: a channel of another tenant gets a denial ack and never an event
 * (platform sessions may watch any tenant). The ack carries the channel's current state and the
 * newest outbox id as of it; changes follow in commit order, exactly those that state had not seen.
 *
 * Changes come from Postgres (db/api-events.ts): every node is woken by a NOTIFY after each commit
 * that wrote events (and reads once a second regardless), reads what is new for the tenants its
 * subscribers watch, in commit order, and delivers it to them; rooms span nodes through the
 * Postgres adapter (server.ts). A subscriber's state is read on one snapshot; an event is
 * delivered to it exactly when that snapshot did not see the event's transaction.
 */
import type { Server as SocketServer, Socket } from 'socket.io';
import { Client, Pool } from 'pg';
import { z } from 'zod';
import { FailureStreak, type Logger } from '../runtime/logger';
import {
  ApiEvent,
  EVENT_CHANNELS,
  EventChannel,
  listenApiEvents,
  newOutboxCursor,
  outboxPosition,
  readApiEvents,
  snapshotSees,
  unwatchTenant,
  watchTenant,
  type OutboxSnapshot,
} from '../db/api-events';
import { withTenantSnapshot, TenantTx } from '../db/tenant';
import { recentOrders } from '../db/ledger-report';
import { ledgerPositions } from '../db/ledger';
import { reconciliationState } from '../db/trading-state';
import { killSwitchList } from '../db/tenant-console';
import { listDecisions } from '../db/decision-list';
import { dayPnlRows, wallStates } from '../db/tenant-book';
import { PLATFORM_TENANT_ID } from '../db/schema/tenants';
import { isSessionRevoked, sessionDigest } from '../db/session-revocations';
import type { Tenant } from '../db/tenants';
import { SessionClaims, SESSION_COOKIE, verifySession } from './session';
import { parseCookies } from './cookies';

const subscribeInput = z.strictObject({
  channel: z.enum(EVENT_CHANNELS),
  tenant: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/)
    .optional(),
});

/** The state a subscriber starts from; channels whose producers do not exist yet start empty. */
const STATE: Record<EventChannel, (tx: TenantTx) => Promise<unknown>> = {
  orders: (tx) => recentOrders(tx, 100),
  positions: (tx) => ledgerPositions(tx),
  'trading-state': async (tx) => ({
    killSwitches: await killSwitchList(tx),
    reconciliation: (await reconciliationState(tx)) ?? null,
  }),
  decisions: async (tx) => (await listDecisions(tx, { limit: 20 })).map(({ cursorAt: _c, ...d }) => d),
  pnl: (tx) => dayPnlRows(tx),
  gates: (tx) => wallStates(tx),
};

/** `snapshot` is null until the state is read; events meanwhile wait in `queue`. */
type Subscription = { snapshot: OutboxSnapshot | null; queue: ApiEvent[] };

/** How often a node reads the outbox with no wake-up (a wake lost to a committer's crash). */
const READ_EVERY_MS = 1_000;
type Ack = (answer: unknown) => void;

export interface RealtimeDeps {
  pool: Pool;
  appDbUrl: string;
  sessionSecret: string;
  log: Logger;
  resolveTenant: (slug: string) => Promise<Tenant | undefined>;
}

const roomOf = (tenantId: number, channel: string) => `t:${tenantId}:${channel}`;
export const tenantRoom = (tenantId: number) => `tenant:${tenantId}`;
/** Every socket of one session (its token's digest), on any node: a logout disconnects them all. */
export const sessionRoom = (digest: string) => `session:${digest}`;

function handshakeSession(socket: Socket, secret: string): { session: SessionClaims; token: string } | undefined {
  const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  const cookie = parseCookies(socket.handshake.headers.cookie)[SESSION_COOKIE];
  const token = typeof given === 'string' ? given : cookie;
  if (token === undefined) return undefined;
  // A cookie rides along cross-site: accept it only from a page of this origin (or no browser).
  const origin = socket.handshake.headers.origin;
  if (
    typeof given !== 'string' &&
    origin !== undefined &&
    new URL(origin, 'http://x').host !== socket.handshake.headers.host
  )
    return undefined;
  const session = verifySession(secret, token);
  return session && { session, token };
}

export interface Realtime {
  /** Resolves once this node LISTENs for events (the server does not wait for it to listen). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function attachRealtime(io: SocketServer, deps: RealtimeDeps): Realtime {
  /** This node's subscribers per room (the outbox delivers to them). */
  const local = new Map<string, Set<Socket>>();
  /** Where this node is in the outbox, for the tenants its subscribers watch. */
  const cursor = newOutboxCursor();

  io.use((socket, next) => {
    const found = handshakeSession(socket, deps.sessionSecret);
    if (!found) return next(new Error('unauthenticated'));
    // A logged-out token opens no new socket; those open at the logout are disconnected (sessionRoom).
    isSessionRevoked(deps.pool, found.token).then((revoked) => {
      if (revoked) return next(new Error('unauthenticated'));
      socket.data.session = found.session;
      socket.data.sessionRoom = sessionRoom(sessionDigest(found.token));
      socket.data.subs = new Map<string, Subscription>();
      next();
    }, next);
  });

  io.on('connection', (socket) => {
    const session = socket.data.session as SessionClaims;
    const subs = socket.data.subs as Map<string, Subscription>;
    void socket.join(tenantRoom(session.tenantId));
    void socket.join(socket.data.sessionRoom as string);
    socket.on('disconnect', () => {
      for (const room of subs.keys()) local.get(room)?.delete(socket);
    });
    socket.on('subscribe', async (raw: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') return;
      try {
        const input = subscribeInput.safeParse(raw);
        if (!input.success) return ack({ ok: false, error: 'bad_request', message: input.error.issues[0].message });
        const tenant = input.data.tenant ? await deps.resolveTenant(input.data.tenant) : undefined;
        const tenantId = input.data.tenant ? tenant?.id : session.tenantId;
        const allowed =
          tenantId !== undefined &&
          (tenant === undefined || tenant.status === 'active') &&
          (tenantId === session.tenantId || session.tenantId === PLATFORM_TENANT_ID);
        // The same denial for another tenant and for no tenant: existence is not leaked.
        if (!allowed) return ack({ ok: false, error: 'forbidden', message: 'not your tenant' });
        const room = roomOf(tenantId, input.data.channel);
        if (subs.has(room)) return ack({ ok: false, error: 'conflict', message: 'already subscribed' });
        const sub: Subscription = { snapshot: null, queue: [] };
        subs.set(room, sub);
        (local.get(room) ?? local.set(room, new Set()).get(room)!).add(socket);
        watchTenant(cursor, tenantId); // before the state's snapshot: see watchTenant
        await socket.join(room);
        const { state, lastEventId, snapshot } = await withTenantSnapshot(deps.pool, tenantId, async (tx) => ({
          ...(await outboxPosition(tx, input.data.channel)),
          state: await STATE[input.data.channel](tx),
        }));
        ack({ ok: true, channel: input.data.channel, tenantId, state, lastEventId });
        sub.snapshot = snapshot;
        for (const ev of sub.queue.splice(0)) deliver(socket, sub, ev);
      } catch (err) {
        deps.log.error({ err }, 'subscribe failed');
        ack({ ok: false, error: 'internal_error' });
      }
    });
    socket.on('unsubscribe', async (raw: unknown, ack?: Ack) => {
      const input = subscribeInput.safeParse(raw);
      if (!input.success) return typeof ack === 'function' ? ack({ ok: false, error: 'bad_request' }) : undefined;
      const tenant = input.data.tenant ? await deps.resolveTenant(input.data.tenant) : undefined;
      const room = roomOf(tenant?.id ?? session.tenantId, input.data.channel);
      subs.delete(room);
      local.get(room)?.delete(socket);
      await socket.leave(room);
      if (typeof ack === 'function') ack({ ok: true });
    });
  });

  const deliver = (socket: Socket, sub: Subscription, ev: ApiEvent) => {
    if (!sub.snapshot) return void sub.queue.push(ev);
    if (snapshotSees(sub.snapshot, ev.txid)) return; // already in the state it was sent
    socket.emit('event', {
      id: ev.id,
      tenantId: ev.tenantId,
      channel: ev.channel,
      payload: ev.payload,
      at: ev.createdAt,
    });
  };

  /** Stops reading tenants no subscriber of this node watches any more. */
  const dropUnwatched = () => {
    const watched = new Set<number>();
    for (const [room, sockets] of local) if (sockets.size > 0) watched.add(Number(room.split(':')[1]));
    for (const t of [...cursor.tenants.keys()]) if (!watched.has(t)) unwatchTenant(cursor, t);
  };

  // One read at a time, in commit order; a wake-up during a read asks for one more after it.
  const delivery = new FailureStreak(deps.log, 'event delivery');
  let reading: Promise<void> | undefined;
  let readAgain = false;
  /** `wake`: a NOTIFY; with no tenant watched there is nothing to read (the periodic read moves the horizon). */
  const readOutbox = (wake = false): void => {
    if (wake && cursor.tenants.size === 0 && !reading) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = (async () => {
      do {
        readAgain = false;
        dropUnwatched();
        for (const ev of await readApiEvents(deps.pool, cursor)) {
          const room = roomOf(ev.tenantId, ev.channel);
          for (const s of local.get(room) ?? []) {
            const sub = (s.data.subs as Map<string, Subscription>).get(room);
            if (sub) deliver(s, sub, ev);
          }
        }
      } while (readAgain && !closed);
    })()
      .then(
        () => delivery.succeeded(),
        (err: unknown) => delivery.failed(err),
      )
      .finally(() => (reading = undefined));
  };
  const poll = setInterval(() => readOutbox(), READ_EVERY_MS);
  poll.unref();

  // A dedicated connection for LISTEN; re-established with backoff when Postgres restarts.
  let listener: Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const listenerConnect = new FailureStreak(deps.log, 'event listener connect');
  const connect = async (delayMs: number): Promise<void> => {
    if (closed) return;
    const c = new Client({ connectionString: deps.appDbUrl });
    c.on('error', (err) => {
      deps.log.warn({ err: err.message }, 'event listener lost its connection');
      c.end().catch(() => undefined);
      if (listener === c && !closed) retry = setTimeout(() => void connect(250), 250);
    });
    try {
      await c.connect();
      await listenApiEvents(c, () => readOutbox(true));
      listener = c;
      listenerConnect.succeeded();
      readOutbox(); // what was committed while no connection listened
      listening();
    } catch (err) {
      await c.end().catch(() => undefined);
      if (closed) return;
      listenerConnect.failed((err as Error).message);
      const next = Math.min(delayMs * 2, 5_000);
      retry = setTimeout(() => void connect(next), delayMs);
    }
  };
  void connect(250);

  return {
    ready,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      clearInterval(poll);
      await listener?.end().catch(() => undefined);
      await reading;
    },
  };
}
