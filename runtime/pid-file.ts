/**
 * The stack records its children's pids; a stack killed with SIGKILL cannot stop them, so the
 * next start stops those leftovers before it checks ports.
 */
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'stack.pids';

export function writePidFile(dataDir: string, pids: Array<number | undefined>): void {
  fs.writeFileSync(path.join(dataDir, FILE), pids.filter((p): p is number => !!p).join('\n'));
}

export function removePidFile(dataDir: string): void {
  fs.rmSync(path.join(dataDir, FILE), { force: true });
}

export function killLeftovers(dataDir: string, say: (l: string) => void): void {
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) return;
  const pids = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map(Number)
    .filter((n) => n > 0);
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return ownedByUs(pid);
    } catch {
      return false;
    }
  });
  if (alive.length) {
    say(`A previous stack did not stop cleanly; stopping its leftover processes (${alive.join(', ')})`);
    for (const pid of alive) {
      try {
        process.kill(-pid, 'SIGKILL'); // each child leads its own process group
      } catch {
        /* already gone */
      }
    }
  }
  fs.rmSync(file, { force: true });
}

/** Only kill a pid that still runs one of our programs (pids get reused). */
function ownedByUs(pid: number): boolean {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /run-ts\.js|temporal/.test(cmd);
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}
