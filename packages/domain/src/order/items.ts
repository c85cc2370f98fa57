import { maxItemQuantity } from './commands';
import { DuplicateProductError, EmptyOrderItemsError, InvalidItemQuantityError } from './errors';
import type { OrderItem } from './state';

/**
 * The item rules shared by CreateOrder and UpdateItems. The REST schema checks most of them too, but the decider
 * must hold its invariants whoever calls it, and answer with the domain's own error types.
 * Returns the items reduced to their two fields, ready to go into an event.
 */
export function checkedOrderItems(items: readonly OrderItem[]): OrderItem[] {
  if (items.length === 0) throw new EmptyOrderItemsError();
  // Ids are compared case-insensitively: two spellings of one uuid are the same product.
  const seenProductIds = new Set<string>();
  return items.map(({ productId, quantity }) => {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > maxItemQuantity) {
      throw new InvalidItemQuantityError(productId, quantity, maxItemQuantity);
    }
    const normalizedProductId = productId.toLowerCase();
    if (seenProductIds.has(normalizedProductId)) throw new DuplicateProductError(productId);
    seenProductIds.add(normalizedProductId);
    return { productId, quantity };
  });
}
