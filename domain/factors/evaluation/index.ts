export * from './rank-correlation';
export * from './information-coefficient';
export * from './factor-pool';
export * from './weekly';
