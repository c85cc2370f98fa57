export * from './aggregates';
export * from './customer';
export * from './order';
export * from './shared';
