/**
 * `qs kill-switch set|clear --tenant <slug> [--scope tenant|instrument|strategy] [--target t]
 * --reason <text>`: an operator stops (or resumes) new risk; the change and its audit row commit
 * together (db/tenant-console setKillSwitch). decide refuses at the kill_switch wall at once.
 */
import { Command } from 'commander';
import { setKillSwitch, type KillScope } from '../../db/tenant-console';
import { withTenant } from '../../db/tenant';
import { INSTRUMENTS } from '../../domain/instruments';
import { STRUCTURE_KINDS } from '../../domain/strategies';
import { withAppPool, tenantFlag } from '../context';
import { constantCase, parseChoice } from '../flags';
import { print } from '../output';
import { UsageError } from '../usage-error';

const SCOPES: readonly KillScope[] = ['tenant', 'instrument', 'strategy'];
const parseScope = parseChoice('--scope', SCOPES, { normalise: (s) => s.trim().toLowerCase() });
const parseInstrumentTarget = parseChoice('--target', INSTRUMENTS, { normalise: (s) => s.trim().toUpperCase() });
const parseStrategyTarget = parseChoice('--target', STRUCTURE_KINDS, { normalise: constantCase });

function target(scope: KillScope, raw: string | undefined): string {
  if (scope === 'tenant') {
    if (raw !== undefined && raw !== '*') throw new UsageError('--target: a tenant-wide switch takes no target');
    return '*';
  }
  if (raw === undefined) throw new UsageError(`--target: required with --scope ${scope}`);
  return scope === 'instrument' ? parseInstrumentTarget(raw) : parseStrategyTarget(raw);
}

function reason(raw: string): string {
  const r = raw.trim();
  if (r.length === 0 || r.length > 500) throw new UsageError('--reason: 1–500 characters');
  return r;
}

export function register(program: Command): void {
  const ks = program.command('kill-switch').description('stop or resume new risk for a tenant (audited)');
  for (const action of ['set', 'clear'] as const) {
    ks.command(action)
      .description(action === 'set' ? 'stop new risk' : 'resume new risk')
      .requiredOption('--tenant <slug>', 'tenant slug')
      .option('--scope <scope>', 'tenant, instrument or strategy', 'tenant')
      .option('--target <t>', 'the instrument (NIFTY) or structure (iron-condor) for a scoped switch')
      .requiredOption('--reason <text>', 'why (kept in the audit log)')
      .option('--json', 'machine-readable output')
      .action(async (opts: { tenant: string; scope: string; target?: string; reason: string; json?: boolean }) => {
        const scope = parseScope(opts.scope);
        const change = {
          scope,
          target: target(scope, opts.target),
          active: action === 'set',
          reason: reason(opts.reason),
        };
        await withAppPool(async (pool) => {
          const tenantId = (await tenantFlag(pool, opts.tenant)).id;
          // An operator at the console, not a tenant user: the audit row names no user.
          await withTenant(pool, tenantId, (tx) => setKillSwitch(tx, { ...change, userId: null }));
        });
        print(
          !!opts.json,
          { tenant: opts.tenant, ...change },
          () => `kill switch ${change.scope}:${change.target} ${change.active ? 'SET' : 'cleared'} (${change.reason})`,
        );
      });
  }
}
