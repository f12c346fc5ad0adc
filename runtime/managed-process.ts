/**
 * A child process the stack owns: started in its own process group (so the stack decides the
 * shutdown order), its output forwarded line by line, restarted with backoff if it dies.
 */
import { ChildProcess, spawn } from 'node:child_process';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  onLine?: (name: string, line: string) => void;
  /** Restart when it exits on its own (not during stop). */
  restart?: boolean;
  onExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

export class ManagedProcess {
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;
  private restartTimer?: NodeJS.Timeout;

  constructor(private readonly opts: ManagedProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const child = spawn(this.opts.command, this.opts.args, {
      cwd: this.opts.cwd,
      env: this.opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.opts.onLine?.(this.opts.name, line);
    };
    child.stdout!.on('data', forward);
    child.stderr!.on('data', forward);
    child.once('exit', (code, signal) => {
      this.opts.onExit?.(this.opts.name, code, signal);
      if (this.stopping || !this.opts.restart) return;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.restarts++, 6));
      this.restartTimer = setTimeout(() => this.start(), delay);
    });
  }

  /** SIGTERM, then SIGKILL after graceMs; resolves once the process has exited. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
