/** Every workflow type, for the single workflow bundle all workers load (contracts/workflows.ts names them). */
export * from './system-check';
export * from './order-placement';
export * from './twap-execution';
export * from './reconciliation';
export * from './weekly-retrain';
export * from './model-rollback';
export * from './persona-simulation';
export * from './tail-hedge-roll';
export * from './trading-day';
export * from './notification-sweep';
export * from './factor-evaluation';
