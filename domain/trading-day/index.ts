export * from './states';
export * from './clock';
export * from './summary';
export * from './exits';
