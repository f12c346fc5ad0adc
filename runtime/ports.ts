/** Port checks: a port already in use gets a clear message naming who wanted it. */
import fs from 'node:fs';
import net from 'node:net';

export class PortInUseError extends Error {
  constructor(
    public readonly port: number,
    public readonly purpose: string,
    public readonly envVar: string,
  ) {
    super(`port ${port} (${purpose}) is already in use; stop whatever holds it or set ${envVar} to another port`);
    this.name = 'PortInUseError';
  }
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export async function assertPortsFree(ports: Array<{ port: number; purpose: string; envVar: string }>): Promise<void> {
  for (const p of ports) {
    if (!(await isPortFree(p.port))) throw new PortInUseError(p.port, p.purpose, p.envVar);
  }
}

/** The kernel's range for the local ports of outgoing connections (Linux), else IANA's dynamic range. */
function ephemeralRange(): [low: number, high: number] {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo! > 0 && hi! >= lo!) return [lo!, hi!];
  } catch {
    // not Linux
  }
  return [49152, 65535];
}

const LOWEST_PICKED = 10_000;

/**
 * A port free right now for a throwaway server (tests, benches) to bind a moment later. Picked
 * below the kernel's ephemeral range: a port from listen(0) lies inside it, and any client socket
 * opened in between may be given it ("Address already in use" when the server starts).
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange();
  if (low - LOWEST_PICKED >= 1000)
    for (let i = 0; i < 50; i++) {
      const port = LOWEST_PICKED + Math.floor(Math.random() * (low - LOWEST_PICKED));
      if (await isPortFree(port)) return port;
    }
  return anyFreePort();
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1', abort?: AbortSignal) {
  const deadline = Date.now() + timeoutMs;
  while (!abort?.aborted) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => (s.destroy(), resolve(false)));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
