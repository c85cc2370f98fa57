import { FAULT_IDS, faultCycle } from './fault-catalogue';

const noop = async () => undefined;

describe('faultCycle', () => {
  it('holds every fault once, poison steps between them, cheap faults before the engines', () => {
    const cycle = faultCycle({
      killService: noop,
      restartDatabase: noop,
      killBroker: noop,
      startBroker: noop,
      stallDatabase: noop,
      resumeDatabase: noop,
      newCdcGeneration: async () => new Date(),
      unsupported: {},
    });
    expect(cycle.map((fault) => fault.id)).toEqual([
      'command-service',
      'poison',
      'cdc-relay',
      'projector',
      'poison',
      'dlq-service',
      'generation',
      'stall',
      'poison',
      'broker',
      'database',
    ]);
    expect(new Set(cycle.map((fault) => fault.id))).toEqual(new Set(FAULT_IDS));
    expect(cycle.filter((fault) => fault.skipped)).toEqual([]);
  });

  it('keeps a fault the stack cannot take, as skipped with the stack’s reason, and leaves out faults not chosen', () => {
    const cycle = faultCycle({ killService: noop, unsupported: { newCdcGeneration: 'one node' } }, new Set(['projector', 'generation', 'broker']));
    expect(cycle.map((fault) => [fault.id, fault.skipped])).toEqual([
      ['projector', undefined],
      ['generation', 'one node'],
      ['broker', 'this stack offers no killBroker'],
    ]);
  });
});
