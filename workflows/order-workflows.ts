/** Issue 5's workflows, re-exported by workflows/index.ts in one line. */
export * from './order-placement';
export * from './reconciliation';
