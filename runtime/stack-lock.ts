/**
 * One stack per data directory. The supervisor claims <dataDir>/stack.lock.json (an atomic
 * exclusive create) holding its own pid and start time, its URLs and its children's pids. A
 * second start finds a live owner and refuses without touching it. A lock whose owner is
 * provably dead (its pid is gone or now belongs to a process started at another time) is
 * stale: the children it lists that are still the same processes are stopped, in order.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signal } from './managed-process';

const FILE = 'stack.lock.json';

export interface ProcessRecord {
  pid: number;
  /** Kernel start time: with the pid, identifies one process (pids get reused). */
  startTime: string;
}

export interface LockedChild extends ProcessRecord {
  name: string;
  stopSignal: NodeJS.Signals;
  /** Leftovers stop in rank order: workers and API, then Temporal, then Postgres. */
  stopRank: number;
}

export interface StackLockFile {
  supervisor: ProcessRecord & { startedAt: string };
  urls: Record<string, string>;
  children: LockedChild[];
}

export class StackRunningError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly lock: StackLockFile,
  ) {
    const pid = lock.supervisor.pid;
    super(
      [
        `a stack is already running on ${dataDir} (supervisor pid ${pid}, up since ${lock.supervisor.startedAt})`,
        ...Object.entries(lock.urls).map(([k, v]) => `  ${k.padEnd(9)} ${v}`),
        `Stop it with Ctrl-C in its terminal (kill -INT ${pid}), or set QS_DATA_DIR to run another stack.`,
      ].join('\n'),
    );
    this.name = 'StackRunningError';
  }
}

export interface StackLock {
  /** Records a child's current pid (after every (re)start). */
  setChild(child: { name: string; pid: number; stopSignal: NodeJS.Signals; stopRank: number }): void;
  release(): void;
}

export function readStackLock(dataDir: string): StackLockFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as StackLockFile;
  } catch {
    return undefined;
  }
}

/** Claims the data directory for this process, or throws StackRunningError naming the owner. */
export async function acquireStackLock(
  dataDir: string,
  urls: Record<string, string>,
  say: (line: string) => void,
): Promise<StackLock> {
  const file = path.join(dataDir, FILE);
  const self = {
    pid: process.pid,
    startTime: processStartTime(process.pid) ?? '',
    startedAt: new Date().toISOString(),
  };
  const lock: StackLockFile = { supervisor: self, urls, children: [] };
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(file, JSON.stringify(lock, null, 2))) break;
    const existing = readStackLock(dataDir);
    if (existing && isRunning(existing.supervisor)) throw new StackRunningError(dataDir, existing);
    if (attempt >= 3) throw new Error(`could not claim ${file}; another stack may be starting`);
    if (existing) await stopLeftovers(existing.children, say);
    fs.rmSync(file, { force: true });
  }
  const write = () => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(lock, null, 2));
    fs.renameSync(tmp, file);
  };
  return {
    setChild(child) {
      const record = { ...child, startTime: processStartTime(child.pid) ?? '' };
      lock.children = [...lock.children.filter((c) => c.name !== child.name), record];
      write();
    },
    release() {
      if (readStackLock(dataDir)?.supervisor.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}

/** link() fails if the target exists, so the lock appears whole or not at all. */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.new`;
  fs.writeFileSync(tmp, content);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

async function stopLeftovers(children: LockedChild[], say: (line: string) => void): Promise<void> {
  const alive = children.filter(isRunning);
  if (!alive.length) return;
  say(
    `A previous stack on this data directory stopped without cleaning up; stopping its leftover ` +
      `processes (${alive.map((c) => `${c.name} ${c.pid}`).join(', ')})`,
  );
  for (const rank of [...new Set(alive.map((c) => c.stopRank))].sort((a, b) => a - b)) {
    const group = alive.filter((c) => c.stopRank === rank);
    for (const c of group) signal(c.pid, c.stopSignal);
    const deadline = Date.now() + 15_000;
    while (group.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const c of group.filter(isRunning)) signal(-c.pid, 'SIGKILL');
  }
}

/** The recorded process still runs: same pid, same start time, not a zombie. */
export function isRunning(p: ProcessRecord): boolean {
  return !!p.startTime && processStartTime(p.pid) === p.startTime;
}

/** The kernel's start time of a pid (clock ticks after boot on Linux), or undefined if it is gone. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return fs.existsSync('/proc/self/stat') ? undefined : psStartTime(pid);
  }
  // Fields after the parenthesised command: state is field 3, starttime field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] === 'Z' ? undefined : fields[19];
}

/** Without /proc (macOS): ps reports the start time to the second. */
function psStartTime(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
