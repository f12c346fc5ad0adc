export * from './state-machine';
export * from './leg-tracker';
