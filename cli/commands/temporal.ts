import { printText } from '../output';
import { Command, InvalidArgumentError } from 'commander';
import { describeCli, ensureTemporalCli } from '../../runtime/temporal-cli';
import { isCloudAddress, setupTemporal } from '../../runtime/temporal-setup';
import { withTemporal } from '../context';

export function register(program: Command): void {
  const temporal = program.command('temporal').description('the Temporal CLI / dev server');
  temporal
    .command('ensure')
    .description('find the Temporal CLI (TEMPORAL_CLI, PATH, .tools/bin) or build it with Go')
    .action(async () => {
      const cli = await ensureTemporalCli();
      printText(describeCli(cli));
    });
  temporal
    .command('setup')
    .description(
      'create the namespace (TEMPORAL_NAMESPACE) and register the search attributes on an existing Temporal ' +
        '(TEMPORAL_ADDRESS), idempotently; on Temporal Cloud, check them and print what to create',
    )
    .option('--retention <days>', 'workflow history retention of a namespace it creates', retentionDays, 30)
    .option('--cloud', 'check only, as on Temporal Cloud (implied by TEMPORAL_API_KEY or a *.tmprl.cloud address)')
    .action(async (opts: { retention: number; cloud?: boolean }) => {
      await withTemporal(async (client, config) => {
        const cloud = opts.cloud || !!config.temporal.apiKey || isCloudAddress(config.temporal.address);
        const todo = await setupTemporal(client.connection, {
          namespace: config.temporal.namespace,
          address: config.temporal.address,
          retentionDays: opts.retention,
          cloud,
          say: printText,
        });
        for (const line of todo) printText(line);
        if (todo.length) process.exitCode = 1;
        else printText(`Temporal at ${config.temporal.address} is ready for namespace ${config.temporal.namespace}`);
      });
    });
}

function retentionDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new InvalidArgumentError('must be whole days, 1 to 3650');
  return n;
}
