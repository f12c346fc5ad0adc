/**
 * Rule 2's database half: the persona worker connects as `qs_persona`, a role created by a
 * migration without login and with no privilege but reading and writing synthetic trades. The
 * stack turns its login on with a password derived from the runtime role's (so no new secret
 * to configure and none in a migration) and hands the worker a URL for it alone.
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { withCredentials } from '../runtime/database';

export const PERSONA_ROLE = 'qs_persona';

export function personaPassword(appPassword: string): string {
  return createHash('sha256').update(`qs_persona:${appPassword}`).digest('base64url');
}

/**
 * Lets qs_persona log in with a password derived from the runtime role's (in `appUrl`);
 * idempotent; needs the migration that created the role, run by the schema owner. Returns
 * qs_persona's URL on the app database.
 */
export async function enablePersonaLogin(adminUrl: string, appUrl: string): Promise<string> {
  const password = personaPassword(decodeURIComponent(new URL(appUrl).password));
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    // Passwords cannot be bound parameters in DDL; the derived one is base64url (no quotes).
    await c.query(`ALTER ROLE ${PERSONA_ROLE} LOGIN PASSWORD '${password}'`);
  } finally {
    await c.end();
  }
  return withCredentials(appUrl, PERSONA_ROLE, password);
}
