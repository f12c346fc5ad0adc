export * from './roll-window';
export * from './plan';
