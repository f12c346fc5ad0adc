export * from './types';
export * from './regimes';
export * from './simulator';
export * from './chain';
export * from './source';
export * from './csv-format';
export * from './csv-source';
