export * from './freeze-limits';
export * from './slicing';
export * from './twap';
