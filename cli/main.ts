/**
 * `qs`: the operator's command. Each command group lives in cli/commands/<group>.ts and
 * exports `register(program)`; this file only assembles them.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../runtime/config';
import { UsageError } from './usage-error';
import * as stack from './commands/stack';
import * as temporal from './commands/temporal';
import * as db from './commands/db';
import * as check from './commands/check';
import * as history from './commands/history';
import * as build from './commands/build';
import * as test from './commands/test';
import * as tenant from './commands/tenant';
import * as domain from './commands/domain';
import * as models from './commands/models';
import * as schedules from './commands/schedules';
import * as orders from './commands/orders';

const groups: Array<{ register(program: Command): void }> = [
  stack,
  temporal,
  db,
  check,
  history,
  build,
  test,
  tenant,
  domain,
  models,
  schedules,
  orders,
];

export async function main(argv: string[]): Promise<void> {
  const program = new Command('qs')
    .description('Quantsentinel: durable, deterministic NSE index-options trading on Temporal')
    .showHelpAfterError()
    .exitOverride();
  for (const g of groups) g.register(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(`qs: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
