export * from './config';
export * from './service';
export * from './http/routes';
export * from './orders/order-listings';
export * from './orders/order-tables';
export * from './customers/customer-tables';
export * from './testing/poisoned-projections';
