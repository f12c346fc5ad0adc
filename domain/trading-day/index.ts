export * from './states';
export * from './clock';
export * from './summary';
