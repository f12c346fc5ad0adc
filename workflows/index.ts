/** Every workflow type, for the single workflow bundle all workers load. */
export * from './system-check';
export * from './order-workflows';
export * from './weekly-retrain';
export * from './model-rollback';
