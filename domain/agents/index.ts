export * from './action-space';
export * from './context';
export * from './agent-state';
export * from './strategy-agent';
export * from './linucb';
export * from './thompson';
export * from './population';
