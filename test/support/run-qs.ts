/** Runs the real `qs` command as a child process (what an operator types), collecting output. */
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';

export const QS_BIN = path.join(__dirname, '..', '..', 'bin', 'qs.js');

export interface QsResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runQs(args: string[], env: NodeJS.ProcessEnv, input?: string, timeoutMs = 60_000): Promise<QsResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [QS_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`qs ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Starts a long-running `qs` command; resolves once `readyLine` appears on stdout. */
export function startQs(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
  timeoutMs = 180_000,
  /** Its own process group, as a command run from a terminal (Ctrl-C signals the whole group). */
  detached = false,
): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [QS_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached,
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`qs ${args.join(' ')} not ready in time:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (readyLine.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`qs ${args.join(' ')} exited with ${code} before it was ready:\n${out}`));
    });
  });
}
