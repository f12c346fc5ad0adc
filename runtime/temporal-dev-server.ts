/**
 * Runs `temporal server start-dev` as a child process: our namespace and search attributes are
 * created at launch; state lives in a SQLite file so a restart keeps every workflow.
 */
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { ManagedProcess } from './managed-process';
import { waitForPort } from './ports';
import { devServerDynamicConfigArgs } from './temporal-dynamic-config';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** SQLite file; omitted → in-memory (tests). */
  dbFile?: string;
  namespace: string;
  /** Neither our namespace nor the search attributes: a fresh cluster, as `qs temporal setup` meets one. */
  bare?: boolean;
  headless?: boolean;
  onLog?: (line: string) => void;
  /** Restart the server when it dies (the stack): same port, same SQLite file, every workflow kept. */
  restart?: boolean;
  onNotice?: (line: string) => void;
  onSpawn?: (pid: number) => void;
  /** false: share the caller's process group (test servers die with a Ctrl-C of the test run). */
  detached?: boolean;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    ...(opts.bare ? [] : ['--namespace', opts.namespace]),
    '--log-level',
    'warn',
    // One file for the clusters and this server: deploy/temporal-dynamic-config.yaml says why each is set.
    ...devServerDynamicConfigArgs(),
  ];
  // WAL with synchronous=NORMAL: about twice the workflow throughput of the default rollback
  // journal on this kind of machine (npm run bench:system). Still safe when a process is killed;
  // only an OS crash or power cut can lose the last commits, acceptable for a local dev server.
  if (opts.dbFile)
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=wal',
      '--sqlite-pragma',
      'synchronous=normal',
    );
  if (opts.headless || opts.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1');
  if (!opts.bare)
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  const address = `127.0.0.1:${opts.port}`;
  const server = new ManagedProcess({
    name: 'temporal',
    command: opts.cliPath,
    args,
    onLine: (_, line) => opts.onLog?.(line),
    ready: (abort) => waitUntilServing(address, opts.bare ? 'default' : opts.namespace, abort),
    graceMs: 10_000,
    restart: opts.restart,
    onNotice: opts.onNotice,
    onSpawn: opts.onSpawn,
    detached: opts.detached,
  });
  try {
    await server.start();
  } catch (err) {
    throw new Error(`temporal server start-dev did not start: ${(err as Error).message}`);
  }
  return {
    address,
    uiUrl: opts.headless || opts.uiPort === undefined ? undefined : `http://127.0.0.1:${opts.uiPort}`,
    process: server,
    stop: () => server.stop(),
  };
}

/**
 * The frontend port opens before the namespace is usable; wait for DescribeNamespace to answer.
 * Exported for tests that restart a server themselves (test/support/temporal-outage.ts).
 */
export async function waitUntilServing(address: string, namespace: string, abort: AbortSignal, timeoutMs = 60_000) {
  const [host, port] = address.split(':');
  await waitForPort(Number(port), timeoutMs, host, abort);
  if (abort.aborted) return;
  const deadline = Date.now() + timeoutMs;
  const connection = await Connection.connect({ address });
  try {
    while (!abort.aborted) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`Temporal at ${address} did not serve namespace ${namespace}: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await connection.close();
  }
}
