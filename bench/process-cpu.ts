/**
 * CPU time by process group over a bench phase, from /proc (Linux; empty elsewhere): the Temporal
 * server, Postgres (every process named postgres, plus backends already reaped by the
 * postmaster) and this process (the workers and the client). Per workflow, it says which process
 * a change has to make cheaper: at 20 in flight on two cores, latency is CPU per workflow.
 */
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux the benches run on

type Groups = Record<string, number>;

/** A process's parent and CPU ticks (its own; with children: plus those of its reaped children). */
function procStat(pid: number | string): { ppid: string; own: number; withChildren: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): ppid is field 4, utime 14 … cstime 17.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return { ppid: f[1]!, own, withChildren: own + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined; // the process ended between listing and reading
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
function processCpu(temporalPid: number | undefined): Groups | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  let postgres = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || comm(pid) !== 'postgres') continue;
    const st = procStat(pid);
    if (!st) continue;
    // The postmaster (its parent is not postgres) also counts the backends that have exited.
    postgres += comm(st.ppid) === 'postgres' ? st.own : st.withChildren;
  }
  const self = process.cpuUsage();
  return {
    temporal: (temporalPid ? (procStat(temporalPid)?.withChildren ?? 0) : 0) * TICK_MS,
    postgres: postgres * TICK_MS,
    'this process': (self.user + self.system) / 1000,
  };
}

/** CPU by process group summed over every batch measured with it, and the work those batches did. */
export class CpuMeter {
  private readonly sum: Groups = {};
  private units = 0;
  constructor(private readonly temporalPid: number | undefined) {}

  /** `fn`'s result counts its units of work: its samples, or its `n`. */
  async measure<T extends { samples: unknown[] } | { n: number }>(fn: () => Promise<T>): Promise<T> {
    const before = processCpu(this.temporalPid);
    const r = await fn();
    const after = processCpu(this.temporalPid);
    if (before && after) for (const k of Object.keys(after)) this.sum[k] = (this.sum[k] ?? 0) + after[k]! - before[k]!;
    this.units += 'n' in r ? r.n : r.samples.length;
    return r;
  }

  /** CPU ms per unit of work by group; undefined without /proc. */
  perUnit(): Groups | undefined {
    if (this.units === 0 || Object.keys(this.sum).length === 0) return undefined;
    return Object.fromEntries(Object.entries(this.sum).map(([k, v]) => [k, v / this.units]));
  }
}

export function formatCpu(label: string, g: Groups | undefined, unit = 'workflow'): string {
  if (!g) return `  ${label}: (no /proc here)`;
  const total = Object.values(g).reduce((a, b) => a + b, 0);
  const parts = Object.entries(g).map(([k, v]) => `${k} ${v.toFixed(2)}`);
  return `  ${label.padEnd(22)} CPU ms per ${unit}: ${parts.join(', ')}; total ${total.toFixed(2)}`;
}
