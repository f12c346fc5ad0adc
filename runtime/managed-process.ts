/**
 * A child process the stack owns and supervises. It runs in its own session (so the terminal's
 * Ctrl-C reaches only the stack, which decides the shutdown order), its output is forwarded line
 * by line, and when it dies on its own it is restarted with backoff, with a line saying so.
 */
import { ChildProcess, spawn } from 'node:child_process';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Its own session (default): the terminal's Ctrl-C reaches only the owner, which decides the
   * order. false: it shares the owner's group and dies with a Ctrl-C (test and benchmark servers).
   */
  detached?: boolean;
  /** Run as this user (embedded Postgres refuses to run as root). */
  uid?: number;
  gid?: number;
  onLine?: (name: string, line: string) => void;
  /** Restart when it exits on its own after its first successful start. */
  restart?: boolean;
  /** Resolves once the process serves (after every start); default: as soon as it is spawned. */
  ready?: (abort: AbortSignal) => Promise<void>;
  /** Runs before every spawn (e.g. removing a dead server's lock file). */
  beforeStart?: () => void;
  /** Postgres stops fastest on SIGINT; everything else on SIGTERM. */
  stopSignal?: NodeJS.Signals;
  graceMs?: number;
  /** Lines for the operator: exits, restarts and recoveries. */
  onNotice?: (line: string) => void;
  /** After every spawn, with the new pid (the stack records it). */
  onSpawn?: (pid: number) => void;
}

/** Up this long → the next crash starts the backoff over. */
const STABLE_MS = 30_000;
const MAX_DELAY_MS = 15_000;

export class ManagedProcess {
  private child?: ChildProcess;
  private stopping = false;
  private failures = 0;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;

  constructor(private readonly opts: ManagedProcessOptions) {}

  get name(): string {
    return this.opts.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private get detached(): boolean {
    return this.opts.detached ?? true;
  }

  get stopSignal(): NodeJS.Signals {
    return this.opts.stopSignal ?? 'SIGTERM';
  }

  /** First start: resolves once ready, rejects (and leaves nothing running) if it cannot start. */
  async start(): Promise<void> {
    await this.launch();
  }

  private async launch(): Promise<void> {
    this.opts.beforeStart?.();
    const child = spawn(this.opts.command, this.opts.args, {
      cwd: this.opts.cwd,
      env: this.opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.detached,
      uid: this.opts.uid,
      gid: this.opts.gid,
    });
    this.child = child;
    this.startedAt = Date.now();
    let output = '';
    const forward = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) this.opts.onLine?.(this.opts.name, line);
    };
    child.stdout!.on('data', forward);
    child.stderr!.on('data', forward);
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
      child.once('error', (e) => resolve(e.message));
    });
    if (child.pid) this.opts.onSpawn?.(child.pid);
    const abort = new AbortController();
    const ready = this.opts.ready?.(abort.signal) ?? Promise.resolve();
    const outcome = await Promise.race([ready.then(() => undefined), exited])
      .catch((e: unknown) => firstLine(e))
      .finally(() => abort.abort());
    if (outcome !== undefined) {
      await this.kill(child);
      throw new Error(`${this.opts.name} did not start (${outcome})${output ? `:\n${output.trim()}` : ''}`);
    }
    void exited.then((how) => this.exitedOnItsOwn(child, how));
  }

  private exitedOnItsOwn(child: ChildProcess, how: string): void {
    if (this.stopping || child !== this.child) return;
    if (!this.opts.restart) {
      this.opts.onNotice?.(`${this.opts.name} exited (${how})`);
      return;
    }
    if (Date.now() - this.startedAt > STABLE_MS) this.failures = 0;
    this.scheduleRestart(`${this.opts.name} exited (${how})`);
  }

  private scheduleRestart(why: string): void {
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(this.failures++, 5));
    this.opts.onNotice?.(`${why}; restarting in ${(delay / 1000).toFixed(1)} s`);
    const downSince = Date.now();
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.launch().then(
        () =>
          this.opts.onNotice?.(
            this.opts.ready
              ? `${this.opts.name} is back (${((Date.now() - downSince) / 1000).toFixed(1)} s)`
              : `${this.opts.name} restarted (pid ${this.pid})`,
          ),
        (err: unknown) => {
          if (!this.stopping) this.scheduleRestart(firstLine(err));
        },
      );
    }, delay);
  }

  /** stopSignal, then SIGKILL after graceMs; resolves once the process has exited. */
  async stop(graceMs = this.opts.graceMs ?? 15_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (this.child) await this.kill(this.child, graceMs);
  }

  private async kill(child: ChildProcess, graceMs = 5_000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signal(child.pid, this.stopSignal);
    const timer = setTimeout(() => signal(this.detached ? -child.pid! : child.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * A negative pid signals the process group: the process leads its own (detached), so a SIGKILL
 * takes its children (Postgres backends) with it. A graceful stop signals the leader only.
 */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
