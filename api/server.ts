/**
 * Starts the HTTP server (Express + Socket.IO) on shared dependencies; returns a stopper. It
 * listens before Temporal or Postgres answer (the connection to Temporal is lazy), so /healthz
 * is up from the start and /readyz names whatever is down until it comes back.
 */
import http from 'node:http';
import os from 'node:os';
import { Server as SocketServer } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, Config } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { createPool, warmPool } from '../db/client';
import { temporalConnectionOptions } from '../runtime/temporal-connection';
import { createApp } from './app';
import { createMetrics } from './metrics';
import { tracedRequests, tracingClientInterceptors, tracingFromEnv } from '../runtime/tracing';
import { attachRealtime, Realtime, sessionRoom } from './realtime';
import { createTenantResolver } from './tenant-scope';
import { sweepRateLimits } from '../db/rate-limits';
import { pruneApiEvents } from '../db/api-events-retention';
import { ModelCache } from '../ml/model-cache';
import { DECISION_MODEL_TYPES } from '../activities/decide';
import { staticKeyProvider } from '../db/secret-box';

export interface ApiServer {
  url: string;
  port: number;
  io: SocketServer;
  realtime: Realtime;
  close(): Promise<void>;
}

export async function startApiServer(config: Config, appDbUrl: string): Promise<ApiServer> {
  if (!config.sessionSecret)
    throw new ConfigError(['QS_SESSION_SECRET: required by the API (npm start generates one per data dir)']);
  const log = createLogger('api', config.logLevel);
  // A few connections kept open: a burst of requests does not wait for new backends.
  const pool = createPool(appDbUrl, { min: 4, idleTimeoutMillis: 60_000 });
  warmPool(pool);
  const connection = Connection.lazy({
    ...temporalConnectionOptions(config),
    // Reconnect within seconds of a restarted Temporal, not after gRPC's default backoff (≤ 120 s).
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
  });
  // Spans to OTEL_EXPORTER_OTLP_ENDPOINT when set: request → workflow start (runtime/tracing.ts).
  const tracing = tracingFromEnv('qs-api');
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    interceptors: tracingClientInterceptors(tracing),
  });
  // Decide on demand serves the production models, swapped in on promotion like a worker's.
  const models = new ModelCache({ pool, listenUrl: appDbUrl, workerId: `api-${os.hostname()}-${process.pid}`, log });
  models
    .start(DECISION_MODEL_TYPES)
    .catch((err: Error) => log.error({ err: err.message }, 'model cache failed to start'));
  const app = createApp({
    models,
    // QS_TEMPORAL_UI_URL, else the dev server's Web UI; unknown for an external Temporal without it.
    temporalUiUrl: config.temporal.uiUrl,
    secretsKeys: config.secretsKeys.length ? staticKeyProvider(config.secretsKeys) : undefined,
    pool,
    client,
    namespace: config.temporal.namespace,
    metrics: createMetrics({ pool }),
    log,
    sessionSecret: config.sessionSecret,
    // Through the Postgres adapter: a logout on this node also reaches the session's sockets on others.
    endSessionSockets: (digest) => io.in(sessionRoom(digest)).disconnectSockets(true),
  });
  const server = http.createServer(tracedRequests(app));
  // Rooms span API nodes through Postgres (its NOTIFY channel and socket_io_attachments).
  const io = new SocketServer(server, {
    serveClient: false,
    adapter: createAdapter(pool, {
      errorHandler: (err) => log.warn({ err: err.message }, 'socket.io adapter error'),
    }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.api.port, config.api.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  // Ended rate-limit windows and outbox events past their retention are dropped now and then (any
  // node may do it; both are idempotent).
  const sweep = setInterval(() => {
    sweepRateLimits(pool).catch((err: Error) => log.warn({ err: err.message }, 'rate-limit sweep failed'));
    pruneApiEvents(pool).catch((err: Error) => log.warn({ err: err.message }, 'api_events pruning failed'));
  }, 10 * 60_000).unref();
  const realtime = attachRealtime(io, {
    pool,
    appDbUrl,
    sessionSecret: config.sessionSecret,
    log,
    resolveTenant: createTenantResolver(pool),
  });
  log.info({ port }, 'API listening');
  return {
    url: `http://${config.api.host}:${port}`,
    port,
    io,
    realtime,
    close: async () => {
      clearInterval(sweep);
      await realtime.close();
      await models.stop();
      server.closeAllConnections();
      await io.close(); // also closes the HTTP server
      await connection.close();
      await pool.end();
      await tracing?.shutdown();
    },
  };
}
