// The engine-free core: what a domain package needs, with no database, broker or HTTP framework behind it.
export * from './core';
