import type { AggregateDefinition, DomainEvent } from '@scylla-es/es-core';
import { etagFor, parseParams, parseQuery } from '@scylla-es/es-core/service';
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { DEFAULT_EVENTS_PAGE, eventPageSchema, eventsQuery, idParams, stateQuery } from './schemas';
import { problemResponses } from './command-route';
import type { AggregateQueries } from '../application/aggregate-queries';
import type { RouteSpec } from './route-spec';

export interface QueryRoutesOptions<Command, Event extends DomainEvent, State> {
  /** `/orders` */
  readonly basePath: string;
  /** `Order` in operation ids and summaries. */
  readonly name: string;
  readonly tag: string;
  readonly definition: AggregateDefinition<Command, Event, State>;
  /** JSON schema source of the state (the aggregate's snapshot schema describes exactly the state). */
  readonly stateSchema: z.ZodType;
  readonly notFound: () => Error;
  readonly queries: AggregateQueries;
}

/** `GET /<aggregates>/:id` (state, time travel) and `GET /<aggregates>/:id/events` (paged history). */
export function queryRoutes<Command, Event extends DomainEvent, State>(
  options: QueryRoutesOptions<Command, Event, State>,
): RouteSpec[] {
  const { basePath, name, tag, definition, queries, notFound } = options;
  const getState: RequestHandler = async (req, res) => {
    const { id } = parseParams(idParams, req);
    const at = parseQuery(stateQuery, req);
    const { state, version } = await queries.stateOf(definition, id, at, notFound);
    res.setHeader('ETag', etagFor(version));
    res.json({ ...state, version });
  };
  const getEvents: RequestHandler = async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { from = 1, limit = DEFAULT_EVENTS_PAGE } = parseQuery(eventsQuery, req);
    const page = await queries.history(definition.aggregateType, id, from, limit, notFound);
    res.json({
      aggregateId: id,
      events: page.events.map(({ eventId, type, schemaVersion, sequence, occurredAt, data, metadata }) => ({
        eventId,
        type,
        schemaVersion,
        sequence,
        occurredAt,
        data,
        metadata,
      })),
      next: page.next ?? null,
    });
  };
  return [
    {
      method: 'get',
      path: `${basePath}/:id`,
      operationId: `get${name}`,
      summary: `The ${name.toLowerCase()} replayed from its events, now or at ?version=N / ?asOf=ISO-8601`,
      tag,
      scope: 'read',
      params: idParams,
      query: stateQuery,
      responses: {
        200: { description: `The ${name.toLowerCase()} and its version`, schema: options.stateSchema, headers: ['ETag'], aggregateState: true },
        ...problemResponses([400, 401, 403, 404, 503]),
      },
      serve: getState,
    },
    {
      method: 'get',
      path: `${basePath}/:id/events`,
      operationId: `get${name}Events`,
      summary: `The ${name.toLowerCase()}'s events in order, one page at a time (?from=&limit=)`,
      tag,
      scope: 'read',
      params: idParams,
      query: eventsQuery,
      responses: {
        200: { description: 'A page of events and the `from` of the next page', schema: eventPageSchema },
        ...problemResponses([400, 401, 403, 404, 503]),
      },
      serve: getEvents,
    },
  ];
}
