export * from './types';
export * from './limits';
export * from './sizing';
export * from './expected-pnl';
export * from './decide';
export * from './gate';
export * from './rewards';
export * from './outcome';
