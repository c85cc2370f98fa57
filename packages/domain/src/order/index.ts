export * from './commands';
export * from './decider';
export * from './errors';
export * from './events';
export * from './snapshot';
export * from './state';
export * from './upcasters';
