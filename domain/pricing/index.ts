export * from './normal';
export * from './black76';
export * from './implied-vol';
export * from './forward';
export * from './vol-surface';
