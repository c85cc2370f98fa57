import { z } from 'zod';
import { EventUpcasting, RuleViolationError, type AggregateDefinition, type DomainEvent } from '../core';

/** A deliberately tiny aggregate so es-core is tested without any real domain. */
export type CounterEvent = DomainEvent<'Incremented', { by: number }> | DomainEvent<'Reset', { reason: string }>;
export type CounterCommand = { type: 'Increment'; by: number } | { type: 'Reset'; reason: string } | { type: 'Noop' };
export interface CounterState {
  readonly total: number;
  readonly increments: number;
}

export const counterEvents = new EventUpcasting(
  [
    { type: 'Incremented', schemaVersion: 2, schema: z.object({ by: z.number().int() }) },
    { type: 'Reset', schemaVersion: 1, schema: z.object({ reason: z.string() }) },
  ],
  // Version 1 stored the amount under the name `amount`.
  [{ eventType: 'Incremented', fromVersion: 1, upcast: (data) => ({ by: (data as { amount: number }).amount }) }],
);

export function counterDefinition(snapshotEvery?: number): AggregateDefinition<CounterCommand, CounterEvent, CounterState> {
  return {
    aggregateType: 'Counter',
    topic: 'counters.events',
    events: counterEvents,
    exists: (state) => state.increments > 0,
    decider: {
      initialState: () => ({ total: 0, increments: 0 }),
      decide: (command, state) => {
        switch (command.type) {
          case 'Increment':
            if (command.by <= 0) throw new RuleViolationError('counter-must-grow', 'increments must be positive');
            return [{ type: 'Incremented', data: { by: command.by } }];
          case 'Reset':
            if (state.total === 0) throw new RuleViolationError('nothing-to-reset', 'the counter is at zero');
            return [{ type: 'Reset', data: { reason: command.reason } }];
          case 'Noop':
            return [];
        }
      },
      evolve: (state, event) =>
        event.type === 'Incremented'
          ? { total: state.total + event.data.by, increments: state.increments + 1 }
          : { total: 0, increments: state.increments },
    },
    ...(snapshotEvery
      ? {
          snapshots: {
            every: snapshotEvery,
            stateVersion: 1,
            schema: z.object({ total: z.number(), increments: z.number() }),
          },
        }
      : {}),
  };
}
