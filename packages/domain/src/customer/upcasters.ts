import type { Upcaster } from '@scylla-es/es-core';

/** Every Customer event is still at schema version 1; the registry exists so the store is wired the same way. */
export const customerUpcasters: readonly Upcaster[] = [];
