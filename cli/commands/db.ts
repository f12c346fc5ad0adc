import { printText } from '../output';
import { Command } from 'commander';
import { migrationStatus, runMigrations } from '../../db/migrate';
import { adminUrl } from '../context';

export function register(program: Command): void {
  const db = program.command('db').description('database schema');
  db.command('migrate')
    .description('apply pending migrations (idempotent)')
    .action(async () => {
      const { applied } = await runMigrations(adminUrl());
      printText(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the schema is up to date');
    });
  db.command('status')
    .description('list migrations and whether each is applied')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const status = await migrationStatus(adminUrl());
      if (opts.json) console.log(JSON.stringify(status, null, 2));
      else for (const m of status) printText(`${m.applied ? 'applied ' : 'pending '} ${m.tag}`);
    });
}
