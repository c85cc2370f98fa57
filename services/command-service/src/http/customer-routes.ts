import { randomUUID } from 'node:crypto';
import {
  CustomerNotFoundError,
  addCustomerAddressPayloadSchema,
  addPaymentMethodPayloadSchema,
  changeCustomerEmailPayloadSchema,
  changeCustomerPhonePayloadSchema,
  customerAggregateType,
  customerSnapshotSchema,
  deactivateCustomerPayloadSchema,
  reactivateCustomerPayloadSchema,
  registerCustomerPayloadSchema,
  suspendCustomerPayloadSchema,
  updateCustomerAddressPayloadSchema,
  updateCustomerProfilePayloadSchema,
  upgradeCustomerTierPayloadSchema,
} from '@scylla-es/domain';
import { z } from 'zod';
import type { AggregateQueries } from '../application/aggregate-queries';
import type { CustomerAggregate } from '../application/aggregates';
import type { CustomerCommands } from '../application/customer-commands';
import { idFromIdempotencyKey } from '../application/deterministic-id';
import type { IdempotentCommands } from '../application/idempotent-commands';
import { commandRoute } from './command-route';
import { queryRoutes } from './query-routes';
import type { RouteSpec } from './route-spec';
import { addressParams, idParams, paymentMethodParams } from './schemas';

export interface CustomerRoutesDependencies {
  readonly customers: CustomerCommands;
  readonly queries: AggregateQueries;
  readonly definition: CustomerAggregate;
  readonly idempotency: IdempotentCommands;
}

const TAG = 'customers';
const noParams = z.object({});
const noBody = z.strictObject({});
/** The address id is in the path; the body is the address. */
const updateAddressBody = updateCustomerAddressPayloadSchema.omit({ addressId: true });
const byPathId = ({ params }: { params: { id: string } }) => params.id;

export function customerRoutes({ customers, queries, definition, idempotency }: CustomerRoutesDependencies): RouteSpec[] {
  return [
    commandRoute(
      {
        method: 'post',
        path: '/customers',
        operationId: 'registerCustomer',
        summary: 'Register a customer; the email must not be used by another (customerId optional, as for orders)',
        tag: TAG,
        params: noParams,
        body: registerCustomerPayloadSchema,
        bodyRequired: true,
        created: { location: (id) => `/customers/${id}` },
        aggregateId: ({ body, idempotencyKey }) =>
          body.customerId?.toLowerCase() ??
          (idempotencyKey === undefined ? randomUUID() : idFromIdempotencyKey(customerAggregateType, idempotencyKey)),
        execute: ({ body, aggregateId, context }) => {
          const { customerId: _given, ...payload } = body;
          return customers.register(aggregateId, payload, context);
        },
        problems: [],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'patch',
        path: '/customers/:id/profile',
        operationId: 'updateCustomerProfile',
        summary: 'Change first name, last name and/or phone of an Active customer',
        tag: TAG,
        params: idParams,
        body: updateCustomerProfilePayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) => customers.updateProfile(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'put',
        path: '/customers/:id/email',
        operationId: 'changeCustomerEmail',
        summary: 'Change the email (unique across customers); the current email again changes nothing',
        tag: TAG,
        params: idParams,
        body: changeCustomerEmailPayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) => customers.changeEmail(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'put',
        path: '/customers/:id/phone',
        operationId: 'changeCustomerPhone',
        summary: 'Change the phone number',
        tag: TAG,
        params: idParams,
        body: changeCustomerPhonePayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) => customers.changePhone(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'post',
        path: '/customers/:id/addresses',
        operationId: 'addCustomerAddress',
        summary: 'Add an address (optionally as the default)',
        tag: TAG,
        params: idParams,
        body: addCustomerAddressPayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) =>
          customers.addAddress(aggregateId, { ...body, addressId: body.addressId.toLowerCase() }, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'put',
        path: '/customers/:id/addresses/:addressId',
        operationId: 'updateCustomerAddress',
        summary: 'Replace an address',
        tag: TAG,
        params: addressParams,
        body: updateAddressBody,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, params, body, context }) =>
          customers.updateAddress(aggregateId, { addressId: params.addressId, address: body.address }, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'delete',
        path: '/customers/:id/addresses/:addressId',
        operationId: 'removeCustomerAddress',
        summary: 'Remove an address (removing the default leaves no default)',
        tag: TAG,
        params: addressParams,
        body: noBody,
        bodyRequired: false,
        aggregateId: byPathId,
        execute: ({ aggregateId, params, context }) => customers.removeAddress(aggregateId, params.addressId, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'post',
        path: '/customers/:id/payment-methods',
        operationId: 'addCustomerPaymentMethod',
        summary: 'Add a payment method (a new default replaces the old one)',
        tag: TAG,
        params: idParams,
        body: addPaymentMethodPayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) =>
          customers.addPaymentMethod(
            aggregateId,
            { ...body, paymentMethodId: body.paymentMethodId.toLowerCase() },
            context,
          ),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'delete',
        path: '/customers/:id/payment-methods/:paymentMethodId',
        operationId: 'removeCustomerPaymentMethod',
        summary: 'Remove a payment method (not the default while others exist)',
        tag: TAG,
        params: paymentMethodParams,
        body: noBody,
        bodyRequired: false,
        aggregateId: byPathId,
        execute: ({ aggregateId, params, context }) =>
          customers.removePaymentMethod(aggregateId, params.paymentMethodId, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'post',
        path: '/customers/:id/tier',
        operationId: 'upgradeCustomerTier',
        summary: 'Upgrade the tier (strictly higher only)',
        tag: TAG,
        params: idParams,
        body: upgradeCustomerTierPayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) => customers.upgradeTier(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'post',
        path: '/customers/:id/suspend',
        operationId: 'suspendCustomer',
        summary: 'Suspend an Active customer',
        tag: TAG,
        params: idParams,
        body: suspendCustomerPayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) => customers.suspend(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'post',
        path: '/customers/:id/reactivate',
        operationId: 'reactivateCustomer',
        summary: 'Reactivate a Suspended customer',
        tag: TAG,
        params: idParams,
        body: reactivateCustomerPayloadSchema,
        bodyRequired: false,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) => customers.reactivate(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        method: 'post',
        path: '/customers/:id/deactivate',
        operationId: 'deactivateCustomer',
        summary: 'Deactivate a customer for good',
        tag: TAG,
        params: idParams,
        body: deactivateCustomerPayloadSchema,
        bodyRequired: true,
        aggregateId: byPathId,
        execute: ({ aggregateId, body, context }) => customers.deactivate(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    ...queryRoutes({
      basePath: '/customers',
      name: 'Customer',
      tag: TAG,
      definition,
      stateSchema: customerSnapshotSchema,
      notFound: () => new CustomerNotFoundError(),
      queries,
    }),
  ];
}
