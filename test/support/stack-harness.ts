/**
 * A real `qs stack up` for a test: its own data directory and free ports, the run's workflow
 * bundle (no rebuild), and helpers to find its processes, signal them and time its recovery.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../runtime/ports';
import { readStackLock } from '../../runtime/stack-lock';
import { startQs } from './run-qs';
import { testEnv } from './env';

export const UP = /Quantsentinel is up[\s\S]*└/;

export interface TestStack {
  dataDir: string;
  ports: { api: number; temporal: number; ui: number; pg: number };
  env: NodeJS.ProcessEnv;
  apiUrl: string;
  temporalAddress: string;
}

export async function testStack(name: string, opts: { bundle?: boolean } = {}): Promise<TestStack> {
  const dataDir = path.join(testEnv().tmp, name);
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), pg: await freePort() };
  return {
    dataDir,
    ports,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    env: {
      QS_DATA_DIR: dataDir,
      QS_API_PORT: String(ports.api),
      QS_TEMPORAL_PORT: String(ports.temporal),
      QS_TEMPORAL_UI_PORT: String(ports.ui),
      QS_PG_PORT: String(ports.pg),
      TEMPORAL_CLI: process.env.TEMPORAL_CLI ?? process.env.QS_TEST_TEMPORAL_CLI,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      // The run's bundle: a stack test is about processes, not about bundling (saves ~15 s a start).
      QS_WORKFLOW_BUNDLE: opts.bundle === false ? '' : testEnv().bundlePath,
    },
  };
}

/** `qs stack up` leading its own process group, as it does in a terminal. */
export function startStack(stack: TestStack): Promise<{ child: ChildProcess; output: () => string }> {
  return startQs(['stack', 'up'], stack.env, UP, 180_000, true);
}

/** Ctrl-C in the stack's terminal: SIGINT to its whole foreground process group. */
export async function stopWithSigint(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

/** Command lines of live processes that mention `needle` (a data directory: the stack's own). */
export function processesMentioning(needle: string): string[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        return '';
      }
    })
    .filter((cmd) => cmd.includes(needle));
}

/** The pid the stack recorded for one of its processes (postgres, temporal, api, worker:trading…). */
export function stackPid(stack: TestStack, name: string): number {
  const child = readStackLock(stack.dataDir)?.children.find((c) => c.name === name);
  if (!child) throw new Error(`the stack in ${stack.dataDir} records no ${name}`);
  return child.pid;
}

export async function readyz(stack: TestStack): Promise<{ status: number; down: string[] }> {
  try {
    const res = await fetch(`${stack.apiUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, down: ((await res.json()) as { down?: string[] }).down ?? [] };
  } catch (e) {
    return { status: 0, down: [`api: ${(e as Error).message}`] };
  }
}

/** Polls until `check` is true; returns the milliseconds it took from `since`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, since = Date.now(), timeoutMs = 90_000) {
  for (;;) {
    if (await check()) return Date.now() - since;
    if (Date.now() - since > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
