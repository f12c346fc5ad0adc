/** Who may call what (the README's role matrix is this, per route). */
import type { UserRole } from '../db/schema/users';

export const ANY_ROLE: readonly UserRole[] = ['trader', 'operator', 'admin'];
/** Running the platform: reconciliation, models, the audit log, clearing a kill switch. */
export const OPERATORS: readonly UserRole[] = ['operator', 'admin'];
/** Users, roles and live arming. */
export const ADMINS: readonly UserRole[] = ['admin'];
