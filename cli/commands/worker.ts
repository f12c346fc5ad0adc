/**
 * `qs worker broker [--tenants a,b]`: run a broker worker in this process. Without --tenants it
 * serves the shared `broker` queue (what the stack runs); with them, those tenants' own queues
 * (`qs broker queue set`), on the machine whose static IP they registered with their broker.
 * Ctrl-C (SIGINT/SIGTERM) stops it gracefully.
 */
import type { Command } from 'commander';
import { dedicatedQueuesOf } from '../../db/broker-queue';
import { slugSchema } from '../../db/tenants';
import type { TenantBrokerQueue } from '../../contracts/task-queues';
import { runWorker } from '../../workers/bootstrap';
import { brokerWorkerDefinition } from '../../workers/broker-worker';
import { withAppPool } from '../context';
import { UsageError } from '../usage-error';
import { asBrokerUsage } from './broker';

/** `a,b` → ['a', 'b']: every entry a slug, none twice. */
export function parseTenantList(raw: string): string[] {
  const slugs = raw.split(',').map((s) => s.trim());
  for (const s of slugs) {
    if (!s) throw new UsageError(`--tenants: an empty entry in ${JSON.stringify(raw)} (expected slug,slug,…)`);
    if (!slugSchema.safeParse(s).success) throw new UsageError(`--tenants: ${JSON.stringify(s)} is not a tenant slug`);
  }
  const twice = slugs.find((s, i) => slugs.indexOf(s) !== i);
  if (twice) throw new UsageError(`--tenants: ${twice} is listed twice`);
  return slugs;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run a worker in this process')
    .command('broker')
    .description("broker calls: the shared queue, or chosen tenants' own queues (--tenants)")
    .option('--tenants <slugs>', 'comma-separated tenant slugs whose own broker queues to serve', parseTenantList)
    .action(async (opts: { tenants?: string[] }) => {
      const queues = opts.tenants
        ? await withAppPool(async (pool) =>
            (await asBrokerUsage(() => dedicatedQueuesOf(pool, opts.tenants!))).map(
              (q) => q.taskQueue as TenantBrokerQueue,
            ),
          )
        : [];
      await runWorker(brokerWorkerDefinition(queues));
    });
}
