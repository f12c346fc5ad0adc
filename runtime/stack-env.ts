/** The running stack records the addresses it chose so CLI commands can find its servers. */
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'stack.env.json';

export function writeStackEnv(dataDir: string, env: Record<string, string>): () => Promise<void> {
  const file = path.join(dataDir, FILE);
  fs.writeFileSync(file, JSON.stringify(env), { mode: 0o600 });
  return async () => fs.rmSync(file, { force: true });
}

export function readStackEnv(dataDir: string): Record<string, string> | undefined {
  const file = path.join(dataDir, FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
}
