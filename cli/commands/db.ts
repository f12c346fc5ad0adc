import { printText } from '../output';
import { Command } from 'commander';
import { migrationStatus, runMigrations } from '../../db/migrate';
import { DatabaseSetupError, explainDatabaseError } from '../../db/errors';
import { enableRoleLogin, provisionDatabase } from '../../db/provision';
import { adminUrl } from '../context';
import { UsageError } from '../usage-error';

export function register(program: Command): void {
  const db = program.command('db').description('database schema');
  db.command('migrate')
    .description('apply pending migrations (idempotent)')
    .action(async () => {
      const url = adminUrl();
      const { applied } = await explained(url, () => runMigrations(url));
      printText(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the schema is up to date');
    });
  db.command('status')
    .description('list migrations and whether each is applied')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const url = adminUrl();
      const status = await explained(url, () => migrationStatus(url));
      if (opts.json) console.log(JSON.stringify(status, null, 2));
      else for (const m of status) printText(`${m.applied ? 'applied ' : 'pending '} ${m.tag}`);
    });
  db.command('provision')
    .description(
      'create the roles (qs_admin, qs_app), the database and its extensions on an existing PostgreSQL, ' +
        'idempotently, from a superuser URL (QS_SUPERUSER_URL or --superuser-url); passwords from ' +
        'QS_ADMIN_DB_PASSWORD and QS_APP_DB_PASSWORD, generated and shown once for a new role without one',
    )
    .option('--superuser-url <url>', 'a superuser (or managed admin) URL; prefer QS_SUPERUSER_URL (not in ps)')
    .option('--database <name>', 'database to create', 'quantsentinel')
    .option('--extension <name...>', 'extensions that must exist (timescaledb is added when available)', [])
    .action(async (opts: { superuserUrl?: string; database: string; extension: string[] }) => {
      const superUrl = opts.superuserUrl ?? nonEmpty(process.env.QS_SUPERUSER_URL);
      if (!superUrl) throw new UsageError('qs db provision needs QS_SUPERUSER_URL or --superuser-url');
      if (!/^postgres(ql)?:\/\/[^\s]+$/.test(superUrl))
        throw new UsageError('--superuser-url / QS_SUPERUSER_URL: must be a postgres:// URL');
      if (!/^[a-z_][a-z0-9_]*$/.test(opts.database))
        throw new UsageError('--database: lower-case letters, digits and _ only');
      const report = await explained(superUrl, () =>
        provisionDatabase({
          superUrl,
          database: opts.database,
          adminPassword: nonEmpty(process.env.QS_ADMIN_DB_PASSWORD),
          appPassword: nonEmpty(process.env.QS_APP_DB_PASSWORD),
          requiredExtensions: opts.extension,
          optionalExtensions: ['timescaledb'].filter((e) => !opts.extension.includes(e)),
        }),
      );
      for (const line of report.steps) printText(line);
      printText('');
      printText(`DATABASE_URL=${shown(report.adminUrl, report.generated.qs_admin)}`);
      printText(`QS_APP_DATABASE_URL=${shown(report.appUrl, report.generated.qs_app)}`);
      if (report.generated.qs_admin || report.generated.qs_app)
        printText('Generated passwords are shown once, above; store them (a re-run keeps them).');
      printText('Next: DATABASE_URL=… npx qs db migrate');
    });
  db.command('persona-login')
    .description(
      "let qs_persona (the persona worker's role, Rule 2) log in with QS_PERSONA_DB_PASSWORD; run after migrate, " +
        'as the schema owner (DATABASE_URL); idempotent',
    )
    .action(async () => {
      const password = nonEmpty(process.env.QS_PERSONA_DB_PASSWORD);
      if (!password) throw new UsageError('qs db persona-login needs QS_PERSONA_DB_PASSWORD');
      const url = adminUrl();
      await explained(url, () => enableRoleLogin(url, 'qs_persona', password));
      printText('qs_persona may log in (QS_APP_DATABASE_URL of the persona worker: postgres://qs_persona:…@…)');
    });
}

/** Failures that name their cause and fix are a user's to act on: one line, exit 2. */
async function explained<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = explainDatabaseError(err, url);
    throw e instanceof DatabaseSetupError ? new UsageError(e.message) : e;
  }
}

const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** A URL with its password masked, unless this run generated it (then it is shown once). */
function shown(url: string, generated: string | undefined): string {
  return generated ? url : url.replace(/:[^:@/]*@/, ':•••@');
}
