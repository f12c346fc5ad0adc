export * from './rates';
export * from './slippage';
export * from './engine';
export * from './decision';
