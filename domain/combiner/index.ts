export * from './drift';
export * from './weights';
export * from './combine';
