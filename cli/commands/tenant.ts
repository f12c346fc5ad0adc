import { printText } from '../output';
import { Command } from 'commander';
import { createTenant, listTenants, createUser } from '../../db/tenants';
import { verifyAuditChain } from '../../db/audit';
import { asUsage, tenantFlag, withAppPool } from '../context';
import { readPassword } from '../prompt';

export function register(program: Command): void {
  const tenant = program.command('tenant').description('tenants');
  tenant
    .command('create')
    .description('create a tenant')
    .requiredOption('--slug <slug>', 'URL-safe id, e.g. acme-capital')
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'machine-readable output')
    .action((opts: { slug: string; name: string; json?: boolean }) =>
      withAppPool(async (pool) => {
        const t = await asUsage(() => createTenant(pool, opts));
        printText(opts.json ? JSON.stringify(t) : `created tenant ${t.slug} (id ${t.id})`);
      }),
    );
  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withAppPool(async (pool) => {
        const ts = await listTenants(pool);
        if (opts.json) console.log(JSON.stringify(ts));
        else
          for (const t of ts)
            printText(
              `${String(t.id).padStart(4)}  ${t.slug.padEnd(24)} ${t.status.padEnd(10)} ` +
                `${t.liveArmed ? 'LIVE-ARMED' : 'dry-run   '}  ${t.name}`,
            );
      }),
    );

  const user = program.command('user').description('users of a tenant');
  user
    .command('create')
    .description('create a user (password from QS_USER_PASSWORD or a prompt)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--role <role>', 'operator | admin | trader')
    .action((opts: { tenant: string; email: string; role: string }) =>
      withAppPool(async (pool) => {
        const u = await asUsage(async () => {
          // Operators may belong to the platform tenant.
          const t = await tenantFlag(pool, opts.tenant, { platform: true });
          const password = process.env.QS_USER_PASSWORD ?? (await readPassword(`password for ${opts.email}: `));
          return createUser(pool, t.id, { email: opts.email, role: opts.role, password });
        });
        printText(`created ${u.role} ${u.email} (id ${u.id}) in tenant ${opts.tenant}`);
      }),
    );

  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('verify')
    .description("recompute a tenant's hash chain and name the first broken row")
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAppPool(async (pool) => {
        // Platform events (global model promotions…) are audited under the platform tenant.
        const t = await tenantFlag(pool, opts.tenant, { platform: true });
        const v = await verifyAuditChain(pool, t.id);
        if (opts.json) console.log(JSON.stringify(v));
        else if (v.ok) printText(`audit chain of ${t.slug} is intact: ${v.rows} rows`);
        else
          printText(
            `audit chain of ${t.slug} is BROKEN at row id ${v.firstBroken!.id} (seq ${v.firstBroken!.seq}): ` +
              v.firstBroken!.reason,
          );
        if (!v.ok) process.exitCode = 1;
      }),
    );
}
