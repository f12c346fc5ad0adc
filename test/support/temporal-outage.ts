/**
 * A real outage of the test run's Temporal dev server: stopHarnessTemporal() ends the harness's
 * server (SIGTERM, or SIGKILL for a crash); startHarnessTemporal() runs the same command line
 * again — same port, same SQLite file, so every workflow, timer and task queue is kept — and
 * resolves once it serves the namespace. The restarted server serves the rest of the run; global
 * teardown stops it (stopRestartedTemporal) before the harness removes its directory.
 * Linux only (/proc), like the rest of the harness. No jest globals here: global teardown imports it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitUntilServing } from '../../runtime/temporal-dev-server';
import { alive, runTmp } from './pg-outage';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RESTARTED = 'restarted-temporal.pid';
/** The stopped server's command line, for the start that follows. */
const COMMAND = 'stopped-temporal.json';

const dbFile = (tmp: string) => path.join(tmp, 'temporal.sqlite');

/** The running dev server on this run's SQLite file: its pid and argv (the harness's or a restarted one). */
function findServer(tmp: string): { pid: number; argv: string[] } | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // exited while we looked
    }
    const at = argv.indexOf('--db-filename');
    if (argv[1] === 'server' && argv[2] === 'start-dev' && at > 0 && argv[at + 1] === dbFile(tmp))
      return { pid: Number(entry), argv };
  }
  return null;
}

async function stopPid(pid: number, sig: 'SIGTERM' | 'SIGKILL', timeoutMs = 30_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, sig);
  const until = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > until) {
      process.kill(pid, 'SIGKILL'); // a server that ignores SIGTERM this long is stuck
      if (sig === 'SIGKILL') throw new Error(`temporal dev server ${pid} did not die within ${timeoutMs} ms`);
      return stopPid(pid, 'SIGKILL', 5_000);
    }
    await pause(50);
  }
}

/** Stops the run's dev server: SIGTERM (a clean shutdown) or SIGKILL (a crash). Resolves once it has exited. */
export async function stopHarnessTemporal(sig: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  const tmp = runTmp();
  const server = findServer(tmp);
  if (!server) throw new Error(`no temporal dev server is running on ${dbFile(tmp)}`);
  fs.writeFileSync(path.join(tmp, COMMAND), JSON.stringify(server.argv));
  await stopPid(server.pid, sig);
}

/** Starts the stopped server again on its port and file; resolves once it serves the namespace. */
export async function startHarnessTemporal(timeoutMs = 60_000): Promise<void> {
  const tmp = runTmp();
  const running = findServer(tmp);
  if (running) throw new Error(`a temporal dev server is already running on ${dbFile(tmp)} (pid ${running.pid})`);
  const saved = path.join(tmp, COMMAND);
  if (!fs.existsSync(saved)) throw new Error('startHarnessTemporal: no stopped server to start (stop it first)');
  const [binary, ...args] = JSON.parse(fs.readFileSync(saved, 'utf8')) as string[];
  const address = `127.0.0.1:${args[args.indexOf('--port') + 1]}`;
  const namespace = args.includes('--namespace') ? args[args.indexOf('--namespace') + 1]! : 'default';
  // Its log goes to a file (a pipe nobody reads would fill and stall the server).
  const logFile = path.join(tmp, `temporal-restart-${Date.now()}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(binary!, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  fs.writeFileSync(path.join(tmp, RESTARTED), String(child.pid));
  child.unref(); // it serves the rest of the run without holding the test process open
  const died = new Promise<never>((_, reject) =>
    child.once('exit', (code, sig) => reject(new Error(`temporal dev server exited (${sig ?? code}) while starting`))),
  );
  const abort = new AbortController();
  try {
    await Promise.race([waitUntilServing(address, namespace, abort.signal, timeoutMs), died]);
  } catch (err) {
    abort.abort();
    throw new Error(`${(err as Error).message}:\n${fs.readFileSync(logFile, 'utf8')}`);
  } finally {
    child.removeAllListeners('exit');
    died.catch(() => undefined);
  }
  fs.rmSync(saved);
}

/**
 * Stops and starts the run's dev server; `downMs` keeps it down that long (clients and workers
 * meet refused connections, not only a dropped one). It is started again even when the wait fails.
 */
export async function restartHarnessTemporal(
  opts: { signal?: 'SIGTERM' | 'SIGKILL'; downMs?: number } = {},
): Promise<void> {
  await stopHarnessTemporal(opts.signal);
  try {
    await pause(opts.downMs ?? 0);
  } finally {
    await startHarnessTemporal();
  }
}

/** Stops a server startHarnessTemporal() left running in the run's temp dir (no-op when none). */
export async function stopRestartedTemporal(tmp: string): Promise<void> {
  const file = path.join(tmp, RESTARTED);
  if (!fs.existsSync(file)) return;
  await stopPid(Number(fs.readFileSync(file, 'utf8')), 'SIGTERM', 10_000);
  fs.rmSync(file);
}
