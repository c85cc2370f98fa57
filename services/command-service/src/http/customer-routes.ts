import { randomUUID } from 'node:crypto';
import {
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
import { changeCustomerEmail, registerCustomer } from '../application/customer-use-cases';
import { idFromIdempotencyKey } from '../application/deterministic-id';
import { commandRoutesOn, useCaseRoute } from './command-route';
import { queryRoutes } from './query-routes';
import type { RouteSpec } from './route-spec';
import type { CommandServiceParts } from './routes';
import { addressParams, idParams, paymentMethodParams } from './schemas';

const TAG = 'customers';
const noParams = z.object({});
const noBody = z.strictObject({});
/** The address id is in the path; the body is the address. */
const updateAddressBody = updateCustomerAddressPayloadSchema.omit({ addressId: true });
const byPathId = ({ params }: { params: { id: string } }) => params.id;

export function customerRoutes(parts: CommandServiceParts): RouteSpec[] {
  const { targets, queries } = parts;
  const target = targets.customer;
  const customerCommandRoute = commandRoutesOn(target, parts);
  return [
    useCaseRoute(
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
        useCase: ({ body, aggregateId, context }) => {
          const { customerId: _given, ...payload } = body;
          return registerCustomer(parts, aggregateId, payload, context);
        },
        problems: [],
      },
      parts,
    ),
    customerCommandRoute({
      method: 'patch',
      path: '/customers/:id/profile',
      operationId: 'updateCustomerProfile',
      summary: 'Change first name, last name and/or phone of an Active customer',
      tag: TAG,
      params: idParams,
      body: updateCustomerProfilePayloadSchema,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ body, context }) => ({ type: 'UpdateProfile', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    useCaseRoute(
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
        useCase: ({ aggregateId, body, context }) => changeCustomerEmail(parts, aggregateId, body, context),
        problems: [404],
      },
      parts,
    ),
    customerCommandRoute({
      method: 'put',
      path: '/customers/:id/phone',
      operationId: 'changeCustomerPhone',
      summary: 'Change the phone number',
      tag: TAG,
      params: idParams,
      body: changeCustomerPhonePayloadSchema,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ body, context }) => ({ type: 'ChangePhone', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'post',
      path: '/customers/:id/addresses',
      operationId: 'addCustomerAddress',
      summary: 'Add an address (optionally as the default)',
      tag: TAG,
      params: idParams,
      body: addCustomerAddressPayloadSchema,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ body, context }) => ({
        type: 'AddAddress',
        data: { ...body, addressId: body.addressId.toLowerCase() },
        metadata: { now: context.now },
      }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'put',
      path: '/customers/:id/addresses/:addressId',
      operationId: 'updateCustomerAddress',
      summary: 'Replace an address',
      tag: TAG,
      params: addressParams,
      body: updateAddressBody,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ params, body, context }) => ({
        type: 'UpdateAddress',
        data: { addressId: params.addressId, address: body.address },
        metadata: { now: context.now },
      }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'delete',
      path: '/customers/:id/addresses/:addressId',
      operationId: 'removeCustomerAddress',
      summary: 'Remove an address (removing the default leaves no default)',
      tag: TAG,
      params: addressParams,
      body: noBody,
      bodyRequired: false,
      aggregateId: byPathId,
        command: ({ params, context }) => ({ type: 'RemoveAddress', data: { addressId: params.addressId }, metadata: { now: context.now } }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'post',
      path: '/customers/:id/payment-methods',
      operationId: 'addCustomerPaymentMethod',
      summary: 'Add a payment method (a new default replaces the old one)',
      tag: TAG,
      params: idParams,
      body: addPaymentMethodPayloadSchema,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ body, context }) => ({
        type: 'AddPaymentMethod',
        data: { ...body, paymentMethodId: body.paymentMethodId.toLowerCase() },
        metadata: { now: context.now },
      }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'delete',
      path: '/customers/:id/payment-methods/:paymentMethodId',
      operationId: 'removeCustomerPaymentMethod',
      summary: 'Remove a payment method (not the default while others exist)',
      tag: TAG,
      params: paymentMethodParams,
      body: noBody,
      bodyRequired: false,
      aggregateId: byPathId,
        command: ({ params, context }) => ({
        type: 'RemovePaymentMethod',
        data: { paymentMethodId: params.paymentMethodId },
        metadata: { now: context.now },
      }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'post',
      path: '/customers/:id/tier',
      operationId: 'upgradeCustomerTier',
      summary: 'Upgrade the tier (strictly higher only)',
      tag: TAG,
      params: idParams,
      body: upgradeCustomerTierPayloadSchema,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ body, context }) => ({ type: 'UpgradeTier', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'post',
      path: '/customers/:id/suspend',
      operationId: 'suspendCustomer',
      summary: 'Suspend an Active customer',
      tag: TAG,
      params: idParams,
      body: suspendCustomerPayloadSchema,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ body, context }) => ({ type: 'SuspendCustomer', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'post',
      path: '/customers/:id/reactivate',
      operationId: 'reactivateCustomer',
      summary: 'Reactivate a Suspended customer',
      tag: TAG,
      params: idParams,
      body: reactivateCustomerPayloadSchema,
      bodyRequired: false,
      aggregateId: byPathId,
        command: ({ body, context }) => ({ type: 'ReactivateCustomer', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    customerCommandRoute({
      method: 'post',
      path: '/customers/:id/deactivate',
      operationId: 'deactivateCustomer',
      summary: 'Deactivate a customer for good',
      tag: TAG,
      params: idParams,
      body: deactivateCustomerPayloadSchema,
      bodyRequired: true,
      aggregateId: byPathId,
        command: ({ body, context }) => ({ type: 'DeactivateCustomer', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    ...queryRoutes({
      basePath: '/customers',
      name: 'Customer',
      tag: TAG,
      definition: target.definition,
      stateSchema: customerSnapshotSchema,
      notFound: target.notFound,
      queries,
    }),
  ];
}
