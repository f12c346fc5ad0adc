export * from './types';
export * from './positions';
export * from './exchange';
