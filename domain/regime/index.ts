export * from './jump-factor';
export * from './detector';
export * from './regime-features';
export * from './confusion';
