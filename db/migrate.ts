/** Applies the committed migrations (drizzle journal) idempotently, as the schema owner. */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

export function journal(): JournalEntry[] {
  return JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')).entries;
}

export async function runMigrations(adminUrl: string): Promise<{ applied: string[] }> {
  const before = new Set((await migrationStatus(adminUrl)).filter((m) => m.applied).map((m) => m.tag));
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Serialise concurrent migrators (two stacks, a test run) on one lock.
    await client.query('SELECT pg_advisory_lock(727274)');
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await client.end();
  }
  return {
    applied: journal()
      .map((e) => e.tag)
      .filter((t) => !before.has(t)),
  };
}

export interface MigrationState {
  tag: string;
  applied: boolean;
}

export async function migrationStatus(adminUrl: string): Promise<MigrationState[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok");
    const rows = exists.rows[0].ok
      ? (await client.query<{ created_at: string }>('SELECT created_at FROM drizzle.__drizzle_migrations')).rows
      : [];
    const appliedWhen = new Set(rows.map((r) => Number(r.created_at)));
    return journal().map((e) => ({ tag: e.tag, applied: appliedWhen.has(e.when) }));
  } finally {
    await client.end();
  }
}
