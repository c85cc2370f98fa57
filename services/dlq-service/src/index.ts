export * from './config';
export * from './service';
export * from './messages/dead-letter-record';
export * from './messages/dlq-message';
