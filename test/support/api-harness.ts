/**
 * One API app on real HTTP for a test file: createApp over the run's Postgres and Temporal, on a
 * free port. The file closes it in its afterAll (`close`); `call` sends JSON with a bearer token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { createApp, type ApiDeps, type AppWithRoutes } from '../../api/app';
import { createMetrics } from '../../api/metrics';
import { loadConfig } from '../../runtime/config';
import { startApiServer, type ApiServer } from '../../api/server';
import { testClient, testEnv } from './env';

export interface TestApi {
  app: AppWithRoutes;
  server: http.Server;
  url: string;
  /** fetch on this server; `bearer` sets Authorization, a body sets content-type JSON. */
  call(path: string, init?: RequestInit & { bearer?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApi(
  deps: Pick<ApiDeps, 'pool' | 'sessionSecret'> & Partial<Omit<ApiDeps, 'client'>> & { client?: Client },
): Promise<TestApi> {
  const app = createApp({
    namespace: 'default',
    metrics: createMetrics(),
    log: pino({ level: 'silent' }),
    ...deps,
    client: deps.client ?? (await testClient()),
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    server,
    url,
    call: (path, init = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: {
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
          ...(init.headers as Record<string, string>),
        },
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The whole API server (Express, Socket.IO, realtime, its model cache) on a free port, listening for events. */
export async function startTestApiServer(sessionSecret: string): Promise<ApiServer> {
  const env = testEnv();
  const config = loadConfig({
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_NAMESPACE: env.namespace,
    // QS_TEST_API_LOG=error shows the server's own account of a 500 in a test run.
    QS_LOG_LEVEL: process.env.QS_TEST_API_LOG ?? 'silent',
    QS_SESSION_SECRET: sessionSecret,
  });
  const server = await startApiServer({ ...config, api: { host: '127.0.0.1', port: 0 } }, env.appUrl);
  await server.realtime.ready;
  return server;
}
