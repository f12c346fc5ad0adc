/**
 * CPU time by process group over a bench phase, from /proc (Linux; empty elsewhere): the Temporal
 * server, Postgres (every process named postgres, plus backends already reaped by the
 * postmaster) and this process (the workers and the client). Per workflow, it says which process
 * a change has to make cheaper: at 20 in flight on two cores, latency is CPU per workflow.
 */
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux the benches run on

type Groups = Record<string, number>;

function statTicks(pid: number | string, withChildren: boolean): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 … cstime 17.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return withChildren ? own + Number(f[13]) + Number(f[14]) : own;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

function comm(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Cumulative CPU ms so far: `temporal` (the given pid), `postgres`, `this process`. */
export function processCpu(temporalPid: number | undefined): Groups | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  let postgres = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || comm(pid) !== 'postgres') continue;
    // The postmaster's children-time holds backends that have exited; its children are listed too.
    postgres += statTicks(pid, isPostmaster(pid));
  }
  const self = process.cpuUsage();
  return {
    temporal: temporalPid ? statTicks(temporalPid, true) * TICK_MS : 0,
    postgres: postgres * TICK_MS,
    'this process': (self.user + self.system) / 1000,
  };
}

function isPostmaster(pid: string): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
    return comm(ppid!) !== 'postgres';
  } catch {
    return false;
  }
}

/** Runs `fn` and returns its result with CPU ms per unit of work by process group. */
export async function measureCpu<T extends { samples: unknown[] }>(
  temporalPid: number | undefined,
  fn: () => Promise<T>,
): Promise<T & { cpuPerUnit?: Groups }> {
  const before = processCpu(temporalPid);
  const r = await fn();
  const after = processCpu(temporalPid);
  if (!before || !after || r.samples.length === 0) return r;
  const cpuPerUnit: Groups = {};
  for (const k of Object.keys(after)) cpuPerUnit[k] = (after[k]! - before[k]!) / r.samples.length;
  return { ...r, cpuPerUnit };
}

export function formatCpu(label: string, g: Groups | undefined): string {
  if (!g) return `  ${label}: (no /proc here)`;
  const total = Object.values(g).reduce((a, b) => a + b, 0);
  const parts = Object.entries(g).map(([k, v]) => `${k} ${v.toFixed(2)}`);
  return `  ${label.padEnd(22)} CPU ms per workflow: ${parts.join(', ')}; total ${total.toFixed(2)}`;
}
