export * from './event-store-scan';
export * from './token-range-scanner';
export * from './token-ranges';
