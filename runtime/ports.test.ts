import fs from 'node:fs';
import net from 'node:net';
import { freePort } from './ports';

describe('freePort', () => {
  it('gives a bindable port below the range the kernel hands to outgoing connections', async () => {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    for (const port of ports) {
      if (low! > 11_000) expect(port).toBeLessThan(low!);
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host: '127.0.0.1', exclusive: true }, resolve);
      });
      await new Promise((r) => server.close(r));
    }
  });
});
