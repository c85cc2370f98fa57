export * from './engines';
export * from './eventually';
