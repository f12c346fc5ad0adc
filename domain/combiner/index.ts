export * from './drift';
export * from './weights';
export * from './combine';
export * from './combiner-state';
export * from './signal-stack';
