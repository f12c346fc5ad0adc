import { printText } from '../output';
import { Command } from 'commander';
import { describeCli, ensureTemporalCli } from '../../runtime/temporal-cli';

export function register(program: Command): void {
  const temporal = program.command('temporal').description('the Temporal CLI / dev server');
  temporal
    .command('ensure')
    .description('find the Temporal CLI (TEMPORAL_CLI, PATH, .tools/bin) or build it with Go')
    .action(async () => {
      const cli = await ensureTemporalCli();
      printText(describeCli(cli));
    });
}
