/** Latency percentiles and throughput for benchmark scripts. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
}

export function summarize(samplesMs: number[], wallMs: number): Summary {
  const s = [...samplesMs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return {
    n: s.length,
    p50: q(50),
    p95: q(95),
    p99: q(99),
    max: s[s.length - 1],
    perSecond: (s.length / wallMs) * 1000,
  };
}

export function formatSummary(label: string, s: Summary): string {
  const f = (x: number) => x.toFixed(1).padStart(8);
  return (
    `${label.padEnd(28)} n=${String(s.n).padStart(5)}  p50 ${f(s.p50)} ms  p95 ${f(s.p95)} ms  p99 ${f(s.p99)} ms  ` +
    `max ${f(s.max)} ms  ${s.perSecond.toFixed(1).padStart(7)}/s`
  );
}

/** Runs `total` tasks with at most `concurrency` in flight; returns per-task latencies and wall time. */
export async function runConcurrent(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

/** `--name <file>`: a path given on the command line, else undefined. */
export function fileFlag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) {
    console.error(`--${name} needs a file path`);
    process.exit(2);
  }
  return v;
}

/** `--name=value` or `--name value`; the value may itself start with -- (Node flags do). */
export function textFlag(name: string): string | undefined {
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined) {
    console.error(`--${name} needs a value`);
    process.exit(2);
  }
  return v;
}

/** Reads `--name value` integer flags with defaults; a bad value is a clear error. */
export function intFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`--${name} must be a positive integer, got "${process.argv[i + 1]}"`);
    process.exit(2);
  }
  return v;
}
