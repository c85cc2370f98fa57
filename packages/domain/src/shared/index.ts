export * from './command';
export * from './corrupt-history';
export * from './schemas';
