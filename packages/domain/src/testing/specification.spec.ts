import type { Decider } from '@scylla-es/es-core';
import { deciderSpecification } from './specification';

// A toy counter, so the helper is tested on its own without any domain.
type CounterCommand = { type: 'Add'; amount: number };
type CounterEvent = { type: 'Added'; amount: number };
class NegativeAmountError extends Error {
  readonly details = { reason: 'negative' };
}

const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: () => 0,
  decide: (command) => {
    if (command.amount < 0) throw new NegativeAmountError('negative');
    return command.amount === 0 ? [] : [{ type: 'Added', amount: command.amount }];
  },
  evolve: (total, event) => total + event.amount,
};

const spec = deciderSpecification(counter);

describe('deciderSpecification', () => {
  it('passes when decide returns the expected events', () => {
    spec.given([{ type: 'Added', amount: 1 }]).when({ type: 'Add', amount: 2 }).then([{ type: 'Added', amount: 2 }]);
  });

  it('fails when the events differ', () => {
    expect(() => spec.given([]).when({ type: 'Add', amount: 2 }).then([{ type: 'Added', amount: 3 }])).toThrow();
  });

  it('passes thenNothingHappens on zero events and fails otherwise', () => {
    spec.given([]).when({ type: 'Add', amount: 0 }).thenNothingHappens();
    expect(() => spec.given([]).when({ type: 'Add', amount: 1 }).thenNothingHappens()).toThrow();
  });

  it('passes thenThrows on the expected error class and properties', () => {
    spec
      .given([])
      .when({ type: 'Add', amount: -1 })
      .thenThrows(NegativeAmountError, { details: { reason: 'negative' } });
  });

  it('fails thenThrows when nothing is thrown, or the class or properties differ', () => {
    const when = (amount: number) => spec.given([]).when({ type: 'Add', amount });
    expect(() => when(1).thenThrows(NegativeAmountError)).toThrow();
    expect(() => when(-1).thenThrows(TypeError)).toThrow();
    expect(() => when(-1).thenThrows(NegativeAmountError, { details: { reason: 'other' } })).toThrow();
  });

  it('fails then when the emitted events cannot be folded by evolve', () => {
    const brokenEvolve: Decider<CounterCommand, CounterEvent, number> = {
      ...counter,
      evolve: () => {
        throw new Error('cannot fold');
      },
    };
    expect(() =>
      deciderSpecification(brokenEvolve)
        .given([])
        .when({ type: 'Add', amount: 1 })
        .then([{ type: 'Added', amount: 1 }]),
    ).toThrow();
  });
});
