/**
 * Rule 2's database half: the persona worker connects as `qs_persona`, a role created by a
 * migration without login and with no privilege but reading and writing synthetic trades. The
 * local stack turns its login on with a password derived from the runtime role's (so no new
 * secret to configure and none in a migration) and hands the worker a URL for it alone;
 * containers set one with `qs db persona-login`.
 */
import { createHash } from 'node:crypto';
import { withCredentials } from '../runtime/database';
import { enableRoleLogin } from './provision';

export const PERSONA_ROLE = 'qs_persona' as const;

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
  await enableRoleLogin(adminUrl, PERSONA_ROLE, password);
  return withCredentials(appUrl, PERSONA_ROLE, password);
}
