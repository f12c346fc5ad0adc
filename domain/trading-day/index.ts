export * from './states';
export * from './clock';
export * from './summary';
export * from './exits';
export * from './sim-book';
