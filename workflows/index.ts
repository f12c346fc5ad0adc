/** Every workflow type, for the single workflow bundle all workers load. */
export * from './system-check';
export * from './order-workflows';
