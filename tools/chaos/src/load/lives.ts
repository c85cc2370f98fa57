import { randomInt, randomUUID } from 'node:crypto';
import type { CommandRequest } from './command-sender';
import type { AggregateKind } from './ledger';

/** One command of a life; some are sent on purpose in a state where the domain must refuse them. */
export interface Step {
  readonly name: string;
  readonly request: CommandRequest;
  readonly expectRejection: boolean;
}

/** The commands one aggregate receives, in order, each sent once the previous one is settled. */
export interface Life {
  readonly kind: AggregateKind;
  readonly aggregateId: string;
  readonly steps: readonly Step[];
  /** A customer that is never suspended: orders may be placed for it once it is registered. */
  readonly takesOrders: boolean;
}

const valid = (name: string, request: CommandRequest): Step => ({ name, request, expectRejection: false });
const refused = (name: string, request: CommandRequest): Step => ({ name, request, expectRejection: true });
const pick = <T>(choices: readonly T[]): T => choices[randomInt(choices.length)] as T;

const lines = () => Array.from({ length: 1 + randomInt(3) }, () => ({ productId: randomUUID(), quantity: 1 + randomInt(9) }));
const address = () => ({ street: `${1 + randomInt(200)} Storm Road`, city: 'Leeds', state: 'WYK', postalCode: 'LS1', country: 'GB' });
const phone = () => `+44 20 ${1000 + randomInt(9000)} ${1000 + randomInt(9000)}`;

/** Every status an order moves through, and cancellations at each stage; the refusals are rule violations. */
export function orderLife(customerId: string): Life {
  const id = randomUUID();
  const at = (suffix: string) => `/orders/${id}${suffix}`;
  const create = valid('create order', { method: 'POST', path: '/orders', body: { orderId: id, customerId, items: lines() } });
  const items = valid('update items', { method: 'PUT', path: at('/items'), body: { items: lines() } });
  const confirm = valid('confirm', { method: 'POST', path: at('/confirm') });
  const ship = valid('ship', { method: 'POST', path: at('/ship'), body: { trackingNumber: `TRK-${randomInt(1e9)}`, carrier: 'DHL' } });
  const deliver = valid('deliver', { method: 'POST', path: at('/deliver'), body: { signature: 'R. Storm' } });
  const cancel = valid('cancel', { method: 'POST', path: at('/cancel'), body: { reason: 'chaos', cancelledBy: 'customer' } });
  const scripts: readonly Step[][] = [
    [create, items, confirm, ship, deliver],
    [create, confirm, cancel],
    [create, items, items, confirm, ship],
    [create, refused('deliver before shipping', deliver.request), confirm, ship, cancel],
    [create, confirm, ship, deliver, refused('cancel after delivery', cancel.request)],
  ];
  return { kind: 'Order', aggregateId: id, steps: pick(scripts), takesOrders: false };
}

const SUSPENDING_SCRIPT = 1;

/** A customer's profile, addresses, payment methods, tiers and suspension; the refusals are rule violations. */
export function customerLife(): Life {
  const id = randomUUID();
  const at = (suffix: string) => `/customers/${id}${suffix}`;
  const register = valid('register', {
    method: 'POST',
    path: '/customers',
    body: { customerId: id, email: `storm-${id}@example.com`, firstName: 'Rain', lastName: 'Storm' },
  });
  const addAddress = () => valid('add address', { method: 'POST', path: at('/addresses'), body: { addressId: randomUUID(), address: address(), setAsDefault: true } });
  const addCard = valid('add payment method', {
    method: 'POST',
    path: at('/payment-methods'),
    body: { paymentMethodId: randomUUID(), type: 'CreditCard', lastFour: String(1000 + randomInt(9000)), setAsDefault: true },
  });
  const tier = (name: string) => ({ method: 'POST' as const, path: at('/tier'), body: { tier: name } });
  const scripts: readonly Step[][] = [
    [register, addAddress(), addCard, valid('upgrade tier', tier('Silver')), valid('update profile', { method: 'PATCH', path: at('/profile'), body: { firstName: `Rain${randomInt(1e6)}` } })],
    [
      register,
      valid('change phone', { method: 'PUT', path: at('/phone'), body: { phone: phone() } }),
      valid('suspend', { method: 'POST', path: at('/suspend'), body: { reason: 'chaos review' } }),
      refused('suspend again', { method: 'POST', path: at('/suspend'), body: { reason: 'twice' } }),
      valid('reactivate', { method: 'POST', path: at('/reactivate'), body: {} }),
    ],
    [register, valid('upgrade tier', tier('Gold')), refused('downgrade tier', tier('Silver')), addAddress(), addAddress()],
  ];
  const index = randomInt(scripts.length);
  return { kind: 'Customer', aggregateId: id, steps: scripts[index] as Step[], takesOrders: index !== SUSPENDING_SCRIPT };
}
