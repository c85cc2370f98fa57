import { EventUpcasting, replay } from '@scylla-es/es-core';
import { customerDecider } from './decider';
import { customerEventDefinitions, type CustomerEvent } from './events';
import { customerUpcasters } from './upcasters';
import { customerSuspended, historyOf } from './test-fixtures';

/** What the store does: validate at the current version, write JSON, read it back and lift it. */
function throughTheStore(event: CustomerEvent): CustomerEvent {
  const upcasting = new EventUpcasting(customerEventDefinitions, customerUpcasters);
  const written = JSON.stringify(upcasting.validateCurrent(event.type, event.data));
  const data = upcasting.lift(event.type, upcasting.currentVersion(event.type), JSON.parse(written));
  return { type: event.type, data } as CustomerEvent;
}

describe('Customer event definitions', () => {
  it('define all thirteen event types once, each at schema version 1, with no upcaster yet', () => {
    expect(customerEventDefinitions.map(({ type, schemaVersion }) => [type, schemaVersion])).toEqual(
      [
        'CustomerRegistered',
        'CustomerProfileUpdated',
        'CustomerEmailChanged',
        'CustomerPhoneChanged',
        'CustomerAddressAdded',
        'CustomerAddressUpdated',
        'CustomerAddressRemoved',
        'CustomerPaymentMethodAdded',
        'CustomerPaymentMethodRemoved',
        'CustomerTierUpgraded',
        'CustomerSuspended',
        'CustomerReactivated',
        'CustomerDeactivated',
      ].map((type) => [type, 1]),
    );
    expect(customerUpcasters).toEqual([]);
  });

  it('survive a JSON round trip through the store unchanged, dates included', () => {
    for (const event of historyOf.Suspended) expect(throughTheStore(event)).toEqual(event);
  });

  it('rebuild the same customer from events read back from the store', () => {
    const history = [...historyOf.Active, customerSuspended];
    expect(replay(customerDecider, history.map(throughTheStore))).toEqual(replay(customerDecider, history));
  });

  it('refuse to write malformed data', () => {
    const upcasting = new EventUpcasting(customerEventDefinitions, customerUpcasters);
    const unknownTier = { oldTier: 'Bronze', newTier: 'Diamond', upgradedAt: new Date() };
    expect(() => upcasting.validateCurrent('CustomerTierUpgraded', unknownTier)).toThrow();
  });
});
