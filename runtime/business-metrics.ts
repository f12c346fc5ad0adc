/**
 * The platform's business metrics, in prom-client's default registry so whichever process does
 * the work (a worker's activities, the API) exposes them on its /metrics. Labels are bounded
 * sets (walls, reasons, outcomes, model types, tenant slugs), never ids. Registered here once so
 * every metric a dashboard panel or alert queries exists before its first event.
 */
import { Counter, Gauge, Histogram, register } from 'prom-client';

const once = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T | undefined) ?? make();

export const decisionLatency = once(
  'qs_decision_latency_seconds',
  () =>
    new Histogram({
      name: 'qs_decision_latency_seconds',
      help: 'Decision engine: from market snapshot to decision, seconds',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    }),
);
export const gateFirings = once(
  'qs_gate_firings_total',
  () => new Counter({ name: 'qs_gate_firings_total', help: 'Risk-wall refusals, by wall', labelNames: ['wall'] }),
);
export const costRejections = once(
  'qs_cost_rejections_total',
  () =>
    new Counter({
      name: 'qs_cost_rejections_total',
      help: 'Cost-engine rejections, by reason',
      labelNames: ['reason'],
    }),
);
export const orderOutcomes = once(
  'qs_order_outcomes_total',
  () =>
    new Counter({
      name: 'qs_order_outcomes_total',
      help: 'Order placements by outcome (filled, rejected, cancelled, …)',
      labelNames: ['outcome'],
    }),
);
export const reconciliationVerdicts = once(
  'qs_reconciliation_verdicts_total',
  () =>
    new Counter({
      name: 'qs_reconciliation_verdicts_total',
      help: 'Reconciliation verdicts (clean or mismatch), by trigger',
      labelNames: ['verdict', 'trigger'],
    }),
);
export const modelDriftPsi = once(
  'qs_model_drift_psi',
  () =>
    new Gauge({
      name: 'qs_model_drift_psi',
      help: 'Population stability index of a production model inputs',
      labelNames: ['model_type'],
    }),
);
export const candidateVsProduction = once(
  'qs_model_candidate_vs_production',
  () =>
    new Gauge({
      name: 'qs_model_candidate_vs_production',
      help: 'Weekly retrain: candidate metric minus production metric (higher is better)',
      labelNames: ['model_type'],
    }),
);
export const modelPromotions = once(
  'qs_model_promotions_total',
  () =>
    new Counter({
      name: 'qs_model_promotions_total',
      help: 'Retrain outcomes (promoted, staged, already_production), by model type',
      labelNames: ['model_type', 'result'],
    }),
);
export const tenantPnl = once(
  'qs_tenant_pnl_rupees',
  () => new Gauge({ name: 'qs_tenant_pnl_rupees', help: 'Tenant realised P&L today, rupees', labelNames: ['tenant'] }),
);
export const tenantDrawdown = once(
  'qs_tenant_drawdown_ratio',
  () =>
    new Gauge({ name: 'qs_tenant_drawdown_ratio', help: 'Tenant drawdown from peak equity', labelNames: ['tenant'] }),
);
export const tenantWinRate = once(
  'qs_tenant_win_rate',
  () => new Gauge({ name: 'qs_tenant_win_rate', help: 'Tenant win rate over closed trades', labelNames: ['tenant'] }),
);
export const auditEvents = once(
  'qs_audit_events_total',
  () =>
    new Counter({ name: 'qs_audit_events_total', help: 'Audit-log rows written, by action', labelNames: ['action'] }),
);

/** Every business metric name: the dashboard and alert test checks each query against these. */
export const BUSINESS_METRICS = [
  decisionLatency,
  gateFirings,
  costRejections,
  orderOutcomes,
  reconciliationVerdicts,
  modelDriftPsi,
  candidateVsProduction,
  modelPromotions,
  tenantPnl,
  tenantDrawdown,
  tenantWinRate,
  auditEvents,
];
