/**
 * The trading and broker workers in a child process (test/support/order-workers-child.ts) for
 * chaos tests: started until both poll, SIGKILLed at any instant. `models` makes the trading
 * worker serve decide from a hot-swapping ModelCache (what a TradingDay needs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export function workerProcess(options: { models?: boolean } = {}): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'run-ts.js'), path.join(ROOT, 'test', 'support', 'order-workers-child.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, ...(options.models ? { QS_TEST_MODELS: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
}

export const sigkill = (c: ChildProcess) =>
  new Promise<void>((r) =>
    c.exitCode !== null || c.signalCode !== null ? r() : (c.once('exit', () => r()), c.kill('SIGKILL')),
  );
