import { randomUUID } from 'node:crypto';
import type { ApiClient } from './http';

let counter = 0;

export const uniqueEmail = (label = 'customer'): string => `${label}.${Date.now()}.${++counter}.${randomUUID().slice(0, 8)}@example.com`;

export const registration = (overrides: Record<string, unknown> = {}) => ({
  email: uniqueEmail(),
  firstName: 'Ada',
  lastName: 'Lovelace',
  ...overrides,
});

export const items = (count = 1, quantity = 1) =>
  Array.from({ length: count }, () => ({ productId: randomUUID(), quantity }));

export async function registerCustomer(api: ApiClient, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await api.post('/customers', registration(overrides));
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${response.text}`);
  return String(response.body.id);
}

export async function createOrder(api: ApiClient, customerId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await api.post('/orders', { customerId, items: items(), ...overrides });
  if (response.status !== 201) throw new Error(`order creation failed: ${response.status} ${response.text}`);
  return String(response.body.id);
}
