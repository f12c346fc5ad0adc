export * from './types';
export * from './select';
export * from './templates';
export * from './economics';
