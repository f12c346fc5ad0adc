/**
 * Runs `temporal server start-dev` as a child process: our namespace and search attributes are
 * created at launch; state lives in a SQLite file so a restart keeps every workflow.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { waitForPort } from './ports';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** SQLite file; omitted → in-memory (tests). */
  dbFile?: string;
  namespace: string;
  headless?: boolean;
  onLog?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
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
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
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
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  // Own process group: Ctrl-C reaches the stack, which stops Temporal after the workers.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-8000);
    for (const line of text.split('\n')) if (line.trim()) opts.onLog?.(line);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const address = `127.0.0.1:${opts.port}`;
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  };
  try {
    await Promise.race([
      waitUntilServing(address, opts.namespace),
      exit.then(() => {
        throw new Error(`temporal server start-dev exited during start-up:\n${output}`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address,
    uiUrl: opts.headless || opts.uiPort === undefined ? undefined : `http://127.0.0.1:${opts.uiPort}`,
    process: child,
    stop,
  };
}

/** The frontend port opens before the namespace is usable; wait for DescribeNamespace to answer. */
async function waitUntilServing(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  const [host, port] = address.split(':');
  await waitForPort(Number(port), timeoutMs, host);
  const deadline = Date.now() + timeoutMs;
  const connection = await Connection.connect({ address });
  try {
    for (;;) {
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
