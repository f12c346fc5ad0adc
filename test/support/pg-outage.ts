/**
 * A real outage of the test run's Postgres: stopHarnessPostgres() shuts the harness's server
 * down (fast shutdown: sessions are cut, new connections refused); startHarnessPostgres() brings
 * the same data directory back on the same port with the same command line (postmaster.opts),
 * as the data directory's owner. The restarted server serves the rest of the run; global
 * teardown stops it (stopRestartedPostgres) before the harness removes its directory.
 * No jest globals here: global teardown imports this file too.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster's pid from its lock file, or null when none is running there. */
export function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(file)) return null;
  const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
  return pid > 0 && alive(pid) ? pid : null;
}

/** Fast shutdown of a postmaster (SIGINT), waiting until it has exited. */
export async function stopPid(pid: number, timeoutMs = 30_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGINT');
  const until = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > until) throw new Error(`postmaster ${pid} did not stop within ${timeoutMs} ms`);
    await pause(50);
  }
}

const RESTARTED = 'restarted-postmaster.pid';

/** Stops a server startHarnessPostgres() left running in the run's temp dir (no-op when none). */
export async function stopRestartedPostgres(tmp: string): Promise<void> {
  const file = path.join(tmp, RESTARTED);
  if (!fs.existsSync(file)) return;
  await stopPid(Number(fs.readFileSync(file, 'utf8')));
  fs.rmSync(file);
}

/** postmaster.opts: `/path/postgres "-D" "/data" "-p" "5432" …` → [binary, args]. */
function commandLine(dataDir: string): [string, string[]] {
  const text = fs.readFileSync(path.join(dataDir, 'postmaster.opts'), 'utf8').trim();
  const first = text.indexOf(' "');
  const args = [...text.slice(first).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  return [text.slice(0, first), args];
}

/** The run's temp dir (QS_TEST_TMP), where restarted servers leave their pid files. */
export function runTmp(): string {
  const tmp = process.env.QS_TEST_TMP;
  if (!tmp) throw new Error('QS_TEST_TMP is not set: run through the integration project');
  return tmp;
}

export function harnessDataDir(): string {
  return path.join(runTmp(), 'postgres');
}

export async function stopHarnessPostgres(): Promise<void> {
  const dataDir = harnessDataDir();
  const pid = postmasterPid(dataDir);
  if (!pid) throw new Error(`no postmaster is running in ${dataDir}`);
  await stopPid(pid);
}

/** Starts the harness's Postgres again; resolves once it accepts connections. */
export async function startHarnessPostgres(timeoutMs = 60_000): Promise<void> {
  const dataDir = harnessDataDir();
  if (postmasterPid(dataDir)) throw new Error(`a postmaster is already running in ${dataDir}`);
  const [binary, args] = commandLine(dataDir);
  const owner = fs.statSync(dataDir);
  const asOwner = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  // Its log goes to a file (a pipe nobody reads would fill and stall the server).
  const logFile = path.join(runTmp(), `postgres-restart-${Date.now()}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(binary, args, { ...asOwner, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  fs.writeFileSync(path.join(runTmp(), RESTARTED), String(child.pid));
  child.unref(); // it serves the rest of the run without holding the test process open
  let exited: number | null = null;
  child.once('exit', (code) => void (exited = code ?? -1));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.readFileSync(logFile, 'utf8');
    if (text.includes('ready to accept connections')) return;
    if (exited !== null) throw new Error(`Postgres exited (${exited}) while starting:\n${text}`);
    if (Date.now() > until) throw new Error(`Postgres did not come back in ${timeoutMs} ms:\n${text}`);
    await pause(100);
  }
}
