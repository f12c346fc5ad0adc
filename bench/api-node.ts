/**
 * One API node for bench:api, in a process of its own as in production: the load generator and the
 * socket.io clients do not share its event loop. Driven over IPC by bench/api.bench.ts:
 *   started with the stack's env (TEMPORAL_*, QS_SESSION_SECRET, QS_APP_DATABASE_URL)  → {type:'ready', url}
 *   {type:'probe', pgUrl}               starts the probes in this process (before a warm-up) → {type:'probing'}
 *   {type:'measure', cpu?, heap?}       drops the warm-up's records, starts the profiles    → {type:'measuring'}
 *   {type:'report', requests}           stops them                                    → {type:'report', report}
 *   {type:'close'}                      closes the server and exits
 */
import { startApiServer } from '../api/server';
import { loadConfig } from '../runtime/config';
import { installProbes, resetProbes, startProbes, startProfiles, stopProbes } from './api-probes';

export type ApiNodeRequest =
  | { type: 'probe'; pgUrl: string }
  | { type: 'measure'; cpu?: string; heap?: string }
  | { type: 'report'; requests: number }
  | { type: 'close' };

async function main(): Promise<void> {
  const send = (m: unknown) => process.send!(m);
  const appDbUrl = process.env.QS_APP_DATABASE_URL;
  if (!appDbUrl || !process.send) throw new Error('bench/api-node.ts runs forked by bench:api');
  // Dies with the bench: a bench that crashed must not leave a node sampling Postgres behind.
  process.on('disconnect', () => process.exit(0));
  installProbes(); // before any traffic: see installProbes
  const config = loadConfig();
  const api = await startApiServer({ ...config, api: { host: '127.0.0.1', port: 0 } }, appDbUrl);
  await api.realtime.ready;
  let stopProfiles: () => Promise<void> = async () => undefined;
  process.on('message', (m: ApiNodeRequest) => {
    const step = async () => {
      if (m.type === 'probe') {
        await startProbes(m.pgUrl);
        send({ type: 'probing' });
      } else if (m.type === 'measure') {
        await resetProbes();
        stopProfiles = await startProfiles({ cpu: m.cpu, heap: m.heap });
        send({ type: 'measuring' });
      } else if (m.type === 'report') {
        const report = await stopProbes(m.requests);
        await stopProfiles();
        send({ type: 'report', report });
      } else {
        await api.close();
        process.exit(0);
      }
    };
    step().catch((err: Error) => {
      console.error(`api node: ${err.stack ?? err.message}`);
      process.exit(1);
    });
  });
  send({ type: 'ready', url: api.url });
}

main().catch((err: Error) => {
  console.error(`api node: ${err.stack ?? err.message}`);
  process.exit(1);
});
