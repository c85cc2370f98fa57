export * from './engines';
export * from './eventually';
export * from './keyspace';
export * from './measurements';
