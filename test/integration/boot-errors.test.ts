/** Bad configuration stops boot with a message naming the problem, and nothing is half-started. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../runtime/ports';
import { runQs } from '../support/run-qs';
import { testEnv } from '../support/env';

const dataDir = (name: string) => path.join(testEnv().tmp, `boot-${name}`);

describe('qs stack up refuses bad configuration', () => {
  it.each([
    ['a port that is not a number', { QS_API_PORT: 'abc' }, /QS_API_PORT: must be a port number 1-65535, got "abc"/],
    ['a malformed DATABASE_URL', { DATABASE_URL: 'postgres//nope' }, /DATABASE_URL: is not a URL/],
    ['an unknown log level', { QS_LOG_LEVEL: 'loud' }, /QS_LOG_LEVEL: /],
  ])('%s', async (name, env, message) => {
    const dir = dataDir(name.replace(/\W+/g, '-'));
    const r = await runQs(['stack', 'up'], { QS_DATA_DIR: dir, ...env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(dir)).toBe(false); // nothing started, nothing written
  });

  it('names the port that is already in use', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    try {
      const dir = dataDir('port-in-use');
      const r = await runQs(['stack', 'up'], { QS_DATA_DIR: dir, QS_API_PORT: String(port) });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        `port ${port} (API) is already in use; stop whatever holds it or set QS_API_PORT to another port`,
      );
      expect(fs.existsSync(path.join(dir, 'postgres'))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
