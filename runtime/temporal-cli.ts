/**
 * Finds or builds the Temporal CLI (which embeds the dev server). Order:
 * TEMPORAL_CLI → `temporal` on PATH → .tools/bin/temporal → `go install …@v1.5.1` into .tools/bin.
 * The SDK's own server download cannot work offline, so this is the only provisioning path.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const PROJECT_ROOT = path.resolve(__dirname, '..');
const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

export interface TemporalCli {
  path: string;
  version: string;
  source: 'TEMPORAL_CLI' | 'PATH' | '.tools/bin' | 'go install';
}

function versionOf(bin: string): string | undefined {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || !r.stdout) return undefined;
  return r.stdout.trim();
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

const HOW_TO_INSTALL = [
  'the Temporal CLI was not found and Go is not installed to build it. Either:',
  '  - install Go (https://go.dev/dl) and run `npx qs temporal ensure` again (it builds the CLI into .tools/bin), or',
  `  - build it yourself: go install ${TEMPORAL_CLI_MODULE}, or`,
  '  - download the CLI from https://temporal.io/setup/install-temporal-cli and set TEMPORAL_CLI=/path/to/temporal',
].join('\n');

/** Returns the CLI, building it when needed. `log` receives progress lines. */
export async function ensureTemporalCli(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<TemporalCli> {
  const explicit = env.TEMPORAL_CLI;
  if (explicit) {
    const version = versionOf(explicit);
    if (!version) throw new Error(`TEMPORAL_CLI=${explicit} does not run (\`${explicit} --version\` failed)`);
    return { path: explicit, version, source: 'TEMPORAL_CLI' };
  }
  const fromPath = onPath('temporal');
  const pathVersion = fromPath && versionOf(fromPath);
  if (fromPath && pathVersion) return { path: fromPath, version: pathVersion, source: 'PATH' };

  const local = path.join(TOOLS_BIN, 'temporal');
  const localVersion = fs.existsSync(local) ? versionOf(local) : undefined;
  if (localVersion) return { path: local, version: localVersion, source: '.tools/bin' };

  const go = onPath('go');
  if (!go) throw new Error(HOW_TO_INSTALL);
  fs.mkdirSync(TOOLS_BIN, { recursive: true });
  log(
    `Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into .tools/bin — ` +
      'this takes several minutes the first time…',
  );
  const started = Date.now();
  const ticker = setInterval(() => log(`  …still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
        env: { ...process.env, GOBIN: TOOLS_BIN },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      let lastPackage = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-4000);
        for (const line of chunk.split('\n')) {
          const m = /^go: downloading (\S+)/.exec(line);
          if (m && m[1] !== lastPackage) {
            lastPackage = m[1];
            log(`  downloading ${m[1]}`);
          }
        }
      });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`go install failed (exit ${code}):\n${tail}\n\n${HOW_TO_INSTALL}`)),
      );
    });
  } finally {
    clearInterval(ticker);
  }
  const version = versionOf(local);
  if (!version) throw new Error(`go install finished but ${local} does not run`);
  log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s`);
  return { path: local, version, source: 'go install' };
}

/** One line for humans: where the CLI is and which server/UI versions it embeds. */
export function describeCli(cli: TemporalCli): string {
  return `Temporal CLI ${cli.version.replace(/^temporal version\s*/, '')} at ${cli.path} (from ${cli.source})`;
}
