import { Command } from 'commander';
import { stackUp } from '../../stack/stack-up';

export function register(program: Command): void {
  const stack = program.command('stack').description('run the whole platform locally');
  stack
    .command('up')
    .description('start Postgres, the Temporal dev server, migrations, workers and the API (Ctrl-C stops all)')
    .action(async () => {
      await stackUp();
    });
}
