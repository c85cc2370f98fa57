export * from './config';
export * from './event-message';
export * from './service';
