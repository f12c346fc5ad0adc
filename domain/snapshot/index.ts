export * from './types';
export * from './content-hash';
export * from './realised-vol';
export * from './atm-iv';
export * from './vol-index';
export * from './snapshot-calendar';
export * from './daily-bars';
export * from './build-snapshot';
