/**
 * Pure, deterministic domain code for Quantsentinel. Everything exported here is safe inside a
 * Temporal workflow: no I/O, no clocks, no Math.random, no mutable module state.
 */
export * from './dates';
export * from './holidays';
export * from './instruments';
export * from './calendar';
export * from './money';
export * from './random';
export * from './pricing';
export * from './market';
export * from './costs';
export * from './strategies';
export * from './risk';
export * from './orders';
export * from './paper-exchange';
export * from './snapshot';
export * from './factors';
export * from './signals';
export * from './regime';
export * from './combiner';
export * from './agents';
export * from './execution';
