/**
 * The platform's business metrics, in prom-client's default registry so whichever process does
 * the work (a worker's activities, the API) exposes them on its /metrics. Labels are bounded
 * sets (walls, reasons, outcomes, model types, tenant slugs), never ids. Registered here once so
 * every metric a dashboard panel or alert queries exists before its first event.
 */
import { Counter, Gauge, Histogram, register } from 'prom-client';

type Labels = readonly string[];
/** One instance per name, also when a test or a hot reload loads this module twice. */
const once = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T | undefined) ?? make();
const counter = (name: string, help: string, labelNames: Labels) =>
  once(name, () => new Counter({ name, help, labelNames }));
const gauge = (name: string, help: string, labelNames: Labels) =>
  once(name, () => new Gauge({ name, help, labelNames }));

export const decisionLatency = once(
  'qs_decision_latency_seconds',
  () =>
    new Histogram({
      name: 'qs_decision_latency_seconds',
      help: 'Decision engine: from market snapshot to decision, seconds',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    }),
);
export const gateFirings = counter('qs_gate_firings_total', 'Risk-wall refusals, by wall', ['wall']);
export const costRejections = counter('qs_cost_rejections_total', 'Cost-engine rejections, by reason', ['reason']);
export const orderOutcomes = counter('qs_order_outcomes_total', 'Order placements by outcome (filled, rejected, …)', [
  'outcome',
]);
export const reconciliationVerdicts = counter(
  'qs_reconciliation_verdicts_total',
  'Reconciliation verdicts (clean or mismatch), by trigger',
  ['verdict', 'trigger'],
);
export const modelDriftPsi = gauge('qs_model_drift_psi', 'Population stability index of a production model inputs', [
  'model_type',
]);
export const candidateVsProduction = gauge(
  'qs_model_candidate_vs_production',
  'Weekly retrain: candidate metric minus production metric (higher is better)',
  ['model_type'],
);
export const modelPromotions = counter(
  'qs_model_promotions_total',
  'Retrain outcomes (promoted, staged, already_production), by model type',
  ['model_type', 'result'],
);
export const tenantPnl = gauge('qs_tenant_pnl_rupees', 'Tenant realised P&L today, rupees', ['tenant']);
export const tenantDrawdown = gauge('qs_tenant_drawdown_ratio', 'Tenant drawdown from peak equity', ['tenant']);
export const tenantWinRate = gauge('qs_tenant_win_rate', 'Tenant win rate over closed trades', ['tenant']);
export const auditEvents = counter('qs_audit_events_total', 'Audit-log rows written, by action', ['action']);

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
