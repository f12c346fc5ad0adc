import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { printText } from '../output';
import { Command } from 'commander';
import { ensureTemporalCli, describeCli, PROJECT_ROOT } from '../../runtime/temporal-cli';

export function register(program: Command): void {
  program
    .command('test')
    .description('provision the Temporal CLI, then run every Jest project (unit, integration, replay)')
    .allowUnknownOption()
    .argument('[jestArgs...]', 'passed to jest')
    .action(async (jestArgs: string[]) => {
      const cli = await ensureTemporalCli();
      printText(describeCli(cli));
      // In band: the integration project shares one Temporal server, one Postgres and one
      // native Temporal runtime per process (see DESIGN.md, Testing).
      const r = spawnSync(
        process.execPath,
        [path.join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...jestArgs],
        {
          stdio: 'inherit',
          cwd: PROJECT_ROOT,
          env: { ...process.env, TEMPORAL_CLI: cli.path },
        },
      );
      process.exitCode = r.status ?? 1;
    });
}
