/**
 * Default risk limits of a tenant (no per-tenant limits table yet: every tenant gets these).
 * Sized for the paper account's starting capital.
 */
import type { TenantLimits } from '../risk/types';

export const DEFAULT_TENANT_LIMITS: Omit<TenantLimits, 'killSwitch'> = {
  maxLotsPerOrder: 10,
  maxLotsPerDay: 40,
  maxCapitalAtRiskShare: '0.02',
  maxDailyLoss: '25000.00',
  maxDrawdownShare: '0.10',
  maxNetDelta: 2000,
  maxNetVega: 50000,
  blackoutWindows: [],
  expiryShortGammaCutoff: '13:30',
};
