/** Persona behaviour: the condition/action language, psychological states, the engine and runs of days. */
export * from './types';
export * from './expression';
export * from './compile';
export * from './psychology';
export * from './fills';
export * from './market-tape';
export * from './engine';
export * from './run';
