import { replay, type Decider } from '@scylla-es/es-core';

/** Any error class, abstract ones included, so a test can expect a whole family (e.g. RuleViolationError). */
export type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

/**
 * Given/when/then for deciders: `given` is the history, `when` the command, `then` the events `decide` must
 * return. Generic on purpose (no domain imports) so it can move to es-core unchanged. Uses Jest's `expect`, so
 * it is test-only code and is left out of the build.
 */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given: (history: readonly Event[]) => ({
      when: (command: Command) => {
        const state = replay(decider, history);
        const decide = () => decider.decide(command, state);
        return {
          then(expectedEvents: readonly Event[]): void {
            const events = decide();
            expect(events).toEqual(expectedEvents);
            // Every event a decider emits must also be foldable, or the next load of the aggregate would fail.
            expect(() => replay(decider, events, state)).not.toThrow();
          },
          thenNothingHappens(): void {
            expect(decide()).toEqual([]);
          },
          thenThrows<E extends Error>(errorClass: ErrorClass<E>, expectedProperties?: Partial<E>): void {
            let thrown: unknown;
            try {
              decide();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(errorClass);
            if (expectedProperties) expect(thrown).toMatchObject(expectedProperties);
          },
        };
      },
    }),
  };
}
