import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL into db/migrations from the schema; custom SQL (FORCE RLS,
// grants, triggers, partitioning) goes in `drizzle-kit generate --custom` files beside it.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  strict: true,
});
