/**
 * Default risk limits of a tenant without its own row in tenant_limits. Sized for the paper
 * account's starting capital.
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

/** Default cap on leg-lots open at once (Σ |quantity| / lot size): a day's lots on four-leg structures. */
export const DEFAULT_MAX_OPEN_LOTS = 160;
