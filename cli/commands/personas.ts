/**
 * `qs personas validate | list | simulate`:
 *   qs personas validate [dir]   check every persona file; one line per bad file (file:line:col: field: why), exit 2
 *   qs personas list [--json]    the declared personas
 *   qs personas simulate --days 250 --seed 7 [--personas P01,P05] [--from d] [--instrument NIFTY]
 *                        [--tenant slug] [--wait] [--json]
 *     starts PersonaSimulation on the personas queue (workflow id personas/<tenant>/<run>, the run
 *     named by seed, dates and declarations: the same command again is a rerun that writes
 *     nothing new) and with --wait prints per persona P&L, trades, max drawdown, days in each
 *     psychological state, and the run's resultHash.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Command } from 'commander';
import {
  personaSimulationWorkflowId,
  simulationIdFor,
  type PersonaSimulationInput,
  type PersonaSimulationResult,
} from '../../contracts/personas';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { PLATFORM_TENANT_SLUG } from '../../db/schema/tenants';
import { tradingDaysBetween } from '../../domain/calendar';
import { INSTRUMENTS } from '../../domain/instruments';
import { checkPersonaDir, PERSONAS_DIR, type LoadedPersona } from '../../personas/loader';
import { startWorkflow, workflowHandle } from '../../runtime/workflow-client';
import { tenantFlag, withAppPool, withTemporal } from '../context';
import { DATE_COVERAGE, parseChoice, parseDate, parseNonNegativeInt, parsePositiveInt } from '../flags';
import { print, printText } from '../output';
import { UsageError } from '../usage-error';

const parseInstrument = parseChoice('--instrument', INSTRUMENTS, { normalise: (s) => s.trim().toUpperCase() });
const parseSeed = parseNonNegativeInt('--seed', { max: 2 ** 32 - 1 });
const parseFrom = parseDate('--from');
export const DEFAULT_FROM = '2025-01-01';

/** Every persona of a directory, or a UsageError listing each bad file on its own line. */
function personasOf(dir: string): LoadedPersona[] {
  const { personas, errors } = checkPersonaDir(dir);
  if (errors.length) throw new UsageError(errors.map((e) => e.message).join('; '));
  return [...personas];
}

function selectPersonas(all: readonly LoadedPersona[], raw: string | undefined): LoadedPersona[] {
  if (raw === undefined) return [...all];
  const ids = raw
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError('--personas: expected a list such as P01,P05');
  const known = new Map(all.map((p) => [p.spec.persona_id, p]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length)
    throw new UsageError(`--personas: no persona ${unknown.join(', ')} (declared: ${[...known.keys()].join(', ')})`);
  return [...new Set(ids)].map((id) => known.get(id)!);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function table(r: PersonaSimulationResult): string {
  const head =
    `${'persona'.padEnd(7)} ${'archetype'.padEnd(18)} ${pad('trades', 6)} ${pad('P&L', 13)} ${pad('max DD', 12)}` +
    ` ${pad('DD%', 6)} ${pad('win%', 6)}  days rational/tilted/fatigued`;
  const rows = r.personas.map(
    (p) =>
      `${p.personaId.padEnd(7)} ${p.archetype.padEnd(18)} ${pad(p.trades, 6)} ` +
      `${pad(p.pnl, 13)} ${pad(p.maxDrawdown, 12)}` +
      ` ${pad(p.maxDrawdownPct.toFixed(2), 6)} ${pad(p.winRate.toFixed(1), 6)}  ` +
      `${p.stateDays.rational}/${p.stateDays.tilted}/${p.stateDays.fatigued}${p.bust ? ` (bust ${p.bustDays} d)` : ''}`,
  );
  return [
    `${r.simulationId}: ${r.personas.length} personas × ${r.days} days of ${r.instrument}` +
      ` from ${r.fromDate}, seed ${r.seed}`,
    head,
    ...rows,
    `trades ${r.trades} (new ${r.inserted})`,
    `resultHash ${r.resultHash}`,
  ].join('\n');
}

export function register(program: Command): void {
  const personas = program.command('personas').description('the synthetic personas: validate, list, simulate');

  personas
    .command('validate [dir]')
    .description(`check persona files (default ${PERSONAS_DIR})`)
    .action((dir?: string) => {
      const loaded = personasOf(dir ?? PERSONAS_DIR);
      printText(`${loaded.length} personas valid: ${loaded.map((p) => p.spec.persona_id).join(', ')}`);
    });

  personas
    .command('list')
    .description('the declared personas')
    .option('--dir <dir>', 'persona directory', PERSONAS_DIR)
    .option('--json', 'machine-readable output')
    .action((opts: { dir: string; json?: boolean }) => {
      const loaded = personasOf(opts.dir);
      const rows = loaded.map((p) => ({
        personaId: p.spec.persona_id,
        name: p.spec.name,
        archetype: p.spec.archetype,
        knob: p.spec.initial_state.knob,
        capital: p.spec.initial_state.capital,
        structures: Object.keys(p.spec.trading.structures),
        file: p.file,
      }));
      print(!!opts.json, rows, () =>
        rows
          .map(
            (r) =>
              `${r.personaId} ${r.name.padEnd(28)} ${r.archetype.padEnd(18)} knob ${pad(r.knob, 3)} ` +
              `capital ${pad(r.capital, 10)}  ${r.structures.join(', ')}`,
          )
          .join('\n'),
      );
    });

  personas
    .command('simulate')
    .description('run PersonaSimulation: the personas trade simulated days; their trades are stored as synthetic')
    .option('--days <n>', 'trading days to simulate', '250')
    .option('--seed <n>', 'market and behaviour seed', '7')
    .option('--from <date>', 'first date (non-trading dates are skipped)', DEFAULT_FROM)
    .option('--personas <ids>', 'comma-separated persona ids (default: all)')
    .option('--instrument <name>', 'NIFTY or BANKNIFTY', 'NIFTY')
    .option('--tenant <slug>', 'whose synthetic data (default: the platform, for global models)', PLATFORM_TENANT_SLUG)
    .option('--dir <dir>', 'persona directory', PERSONAS_DIR)
    .option('--days-per-run <n>', 'days per workflow run before continue-as-new', '50')
    .option('--wait', 'wait for the result and print it')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        days: string;
        seed: string;
        from: string;
        personas?: string;
        instrument: string;
        tenant: string;
        dir: string;
        daysPerRun: string;
        wait?: boolean;
        json?: boolean;
      }) => {
        // Every flag and every persona file is checked before anything is started.
        const fromDate = parseFrom(opts.from);
        const available = tradingDaysBetween(fromDate, DATE_COVERAGE.to).length;
        const days = parsePositiveInt('--days', {
          max: available,
          maxReason: `trading days from ${fromDate} to ${DATE_COVERAGE.to}, the end of the NSE calendar`,
        })(opts.days);
        const seed = parseSeed(opts.seed);
        const instrument = parseInstrument(opts.instrument);
        const daysPerRun = parsePositiveInt('--days-per-run', { max: 1000 })(opts.daysPerRun);
        const chosen = selectPersonas(personasOf(opts.dir), opts.personas);
        const tenantId = await withAppPool(
          async (pool) => (await tenantFlag(pool, opts.tenant, { platform: true })).id,
        );
        const specs = chosen.map((p) => p.spec);
        const simulationId = simulationIdFor({ seed, instrument, fromDate, days, personas: specs });
        const input: PersonaSimulationInput = {
          simulationId,
          tenantId,
          seed,
          instrument,
          fromDate,
          days,
          personas: specs,
          daysPerRun,
        };
        const workflowId = personaSimulationWorkflowId(tenantId, simulationId);
        await withTemporal(async (client) => {
          let runId: string;
          let note = 'started';
          try {
            const h = await startWorkflow(client, 'personaSimulation', {
              taskQueue: TASK_QUEUES.personas,
              workflowId,
              args: [input],
              // A finished run may run again: it writes nothing new and gives the same resultHash.
              workflowIdReusePolicy: 'ALLOW_DUPLICATE',
            });
            runId = h.firstExecutionRunId;
          } catch (e) {
            if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
            note = 'already running';
            runId = (await workflowHandle(client, 'personaSimulation', workflowId).describe()).runId;
          }
          const started = { workflowId, runId, simulationId, tenantId, personas: specs.map((s) => s.persona_id) };
          if (!opts.wait)
            return print(
              !!opts.json,
              { ...started, status: note },
              () => `${note} ${workflowId} (${specs.length} personas × ${days} days)`,
            );
          const result = await workflowHandle(client, 'personaSimulation', workflowId, runId).result();
          print(!!opts.json, { ...started, ...result }, () => table(result));
        });
      },
    );
}
