import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireStackLock, isRunning, processStartTime, readStackLock, StackRunningError } from './stack-lock';

const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A lock as a stack would have left it. */
function writeLock(dir: string, supervisor: { pid: number; startTime: string }, children: object[] = []) {
  fs.writeFileSync(
    path.join(dir, 'stack.lock.json'),
    JSON.stringify({ supervisor: { ...supervisor, startedAt: 'then' }, urls: { API: 'http://x:1' }, children }),
  );
}

/** A pid that has exited: its process record can never be running again. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('stack lock', () => {
  it('refuses while the owner runs, naming its pid and URLs, and leaves the lock alone', async () => {
    const dir = tmpDir();
    const me = { pid: process.pid, startTime: processStartTime(process.pid)! };
    writeLock(dir, me);
    const before = fs.readFileSync(path.join(dir, 'stack.lock.json'), 'utf8');
    const err = await acquireStackLock(dir, {}, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StackRunningError);
    expect((err as Error).message).toMatch(new RegExp(`supervisor pid ${process.pid}[\\s\\S]*http://x:1`));
    expect(fs.readFileSync(path.join(dir, 'stack.lock.json'), 'utf8')).toBe(before);
  });

  it('takes over from a dead owner: stops its live leftovers, never a reused pid', async () => {
    const dir = tmpDir();
    const leftover = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => leftover.once('exit', resolve));
    // A pid now running something else (recorded start time differs): must not be touched.
    const stranger = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    try {
      writeLock(dir, { pid: process.pid, startTime: 'an earlier process' }, [
        {
          name: 'worker:x',
          pid: leftover.pid,
          startTime: processStartTime(leftover.pid!),
          stopSignal: 'SIGTERM',
          stopRank: 0,
        },
        { name: 'postgres', pid: stranger.pid, startTime: 'another process', stopSignal: 'SIGINT', stopRank: 3 },
      ]);
      const said: string[] = [];
      const lock = await acquireStackLock(dir, { API: 'http://y:2' }, (l) => said.push(l));
      await exited;
      expect(said.join('\n')).toMatch(new RegExp(`stopping its leftover processes \\(worker:x ${leftover.pid}\\)`));
      expect(isRunning({ pid: stranger.pid!, startTime: processStartTime(stranger.pid!)! })).toBe(true);
      expect(readStackLock(dir)!.supervisor.pid).toBe(process.pid);
      lock.setChild({ name: 'api', pid: stranger.pid!, stopSignal: 'SIGTERM', stopRank: 1 });
      expect(readStackLock(dir)!.children.map((c) => c.name)).toEqual(['api']);
      lock.release();
      expect(readStackLock(dir)).toBeUndefined();
    } finally {
      leftover.kill('SIGKILL');
      stranger.kill('SIGKILL');
    }
  });

  it('a pid that is gone is not running', () => {
    const pid = deadPid();
    expect(processStartTime(pid)).toBeUndefined();
    expect(isRunning({ pid, startTime: '1' })).toBe(false);
  });
});
