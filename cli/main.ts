/**
 * `qs`: the operator's command. Each command group lives in cli/commands/<group>.ts and
 * exports `register(program)`; this file only assembles them.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../runtime/config';
import { UsageError } from './usage-error';
import { printable } from './output';
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
import * as decide from './commands/decide';
import * as killSwitch from './commands/kill-switch';
import * as personas from './commands/personas';
import * as broker from './commands/broker';
import * as secrets from './commands/secrets';
import * as hedge from './commands/hedge';
import * as day from './commands/day';
import * as backtest from './commands/backtest';
import * as worker from './commands/worker';
import * as notify from './commands/notify';

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
  decide,
  killSwitch,
  schedules,
  orders,
  personas,
  broker,
  secrets,
  hedge,
  day,
  backtest,
  notify,
  worker,
];

/** Commander's "show help" exits (e.g. `qs models` without a subcommand), not mistakes. */
const HELP_CODES = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

export async function main(argv: string[]): Promise<void> {
  const program = new Command('qs')
    .description('Quantsentinel: durable, deterministic NSE index-options trading on Temporal')
    .exitOverride()
    // A usage mistake is one line naming what is wrong (`qs: required option '--lots <n>' not
    // specified`), like the commands' own UsageErrors; --help shows the rest.
    .configureOutput({
      outputError: (text, write) => write(`qs: ${printable(text.replace(/^error: /, '').trim())}\n`),
    });
  for (const g of groups) g.register(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every parse error (unknown option, missing value) is a usage error.
      process.exitCode = err.exitCode === 0 ? 0 : HELP_CODES.has(err.code) ? err.exitCode : 2;
      return;
    }
    if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(`qs: ${printable(err.message).replace(/\n/g, ' ')}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
