import {
  cancelOrderPayloadSchema,
  confirmOrderPayloadSchema,
  createOrderPayloadSchema,
  deliverOrderPayloadSchema,
  maxItemQuantity,
  maxOrderLines,
  shipOrderPayloadSchema,
  updateOrderItemsPayloadSchema,
} from './commands';
import { customerId, orderId, productA } from './test-fixtures';

const validCreate = { customerId, items: [{ productId: productA, quantity: 2 }] };

describe('Order command payload schemas', () => {
  describe('CreateOrder', () => {
    it('accepts a payload with or without an orderId', () => {
      expect(createOrderPayloadSchema.parse(validCreate)).toEqual(validCreate);
      expect(createOrderPayloadSchema.parse({ ...validCreate, orderId })).toEqual({ ...validCreate, orderId });
    });

    it.each([
      ['an unknown top-level key', { ...validCreate, status: 'Shipped' }],
      ['an unknown key in an item', { customerId, items: [{ productId: productA, quantity: 1, price: 3 }] }],
      ['a bad customerId uuid', { ...validCreate, customerId: 'customer-1' }],
      ['a bad orderId uuid', { ...validCreate, orderId: '1234' }],
      ['a bad productId uuid', { customerId, items: [{ productId: 'sku-1', quantity: 1 }] }],
      ['no items', { customerId, items: [] }],
      ['a missing customerId', { items: validCreate.items }],
      ['a zero quantity', { customerId, items: [{ productId: productA, quantity: 0 }] }],
      ['a negative quantity', { customerId, items: [{ productId: productA, quantity: -3 }] }],
      ['a fractional quantity', { customerId, items: [{ productId: productA, quantity: 1.5 }] }],
      ['a quantity over the maximum', { customerId, items: [{ productId: productA, quantity: maxItemQuantity + 1 }] }],
      ['a quantity given as a string', { customerId, items: [{ productId: productA, quantity: '2' }] }],
      [
        'more lines than allowed',
        { customerId, items: Array.from({ length: maxOrderLines + 1 }, () => ({ productId: productA, quantity: 1 })) },
      ],
    ])('rejects %s', (_case, payload) => {
      expect(createOrderPayloadSchema.safeParse(payload).success).toBe(false);
    });
  });

  it('UpdateItems trims the reason and rejects a blank one', () => {
    const items = validCreate.items;
    expect(updateOrderItemsPayloadSchema.parse({ items, reason: '  typo  ' })).toEqual({ items, reason: 'typo' });
    expect(updateOrderItemsPayloadSchema.safeParse({ items, reason: '   ' }).success).toBe(false);
  });

  it('ConfirmOrder takes an empty object and nothing else', () => {
    expect(confirmOrderPayloadSchema.parse({})).toEqual({});
    expect(confirmOrderPayloadSchema.safeParse({ confirmedAt: '2025-01-01' }).success).toBe(false);
  });

  it('ShipOrder trims and requires tracking number and carrier', () => {
    expect(shipOrderPayloadSchema.parse({ trackingNumber: ' T1 ', carrier: ' UPS' })).toEqual({
      trackingNumber: 'T1',
      carrier: 'UPS',
    });
    expect(shipOrderPayloadSchema.safeParse({ trackingNumber: '  ', carrier: 'UPS' }).success).toBe(false);
    expect(shipOrderPayloadSchema.safeParse({ trackingNumber: 'T1' }).success).toBe(false);
    expect(shipOrderPayloadSchema.safeParse({ trackingNumber: 'T'.repeat(101), carrier: 'UPS' }).success).toBe(false);
  });

  it('DeliverOrder has an optional signature', () => {
    expect(deliverOrderPayloadSchema.parse({})).toEqual({});
    expect(deliverOrderPayloadSchema.parse({ signature: 'J. Doe' })).toEqual({ signature: 'J. Doe' });
    expect(deliverOrderPayloadSchema.safeParse({ signed: true }).success).toBe(false);
  });

  it('CancelOrder bounds its free text', () => {
    expect(cancelOrderPayloadSchema.parse({ reason: 'late', cancelledBy: 'support' })).toEqual({
      reason: 'late',
      cancelledBy: 'support',
    });
    expect(cancelOrderPayloadSchema.safeParse({ reason: 'x'.repeat(501) }).success).toBe(false);
  });
});
