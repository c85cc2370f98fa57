export * from './dead-letter';
export * from './event-publisher';
export * from './kafka-config';
export * from './kafka-event-publisher';
export * from './publish-errors';
export * from './resilient-publisher';
export * from './threaded-event-publisher';
export * from './topic-admin';
