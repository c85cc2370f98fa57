import type { StoredResponse } from '@scylla-es/es-core/cql';
import {
  PROBLEM_CONTENT_TYPE,
  correlationIdOf,
  etagFor,
  parseBody,
  parseParams,
  principalOf,
  sendJson,
} from '@scylla-es/es-core/service';
import type { CommandHandler, DomainEvent } from '@scylla-es/es-core';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { outcomeOf, type CommandContext, type CommandOutcome } from '../application/command-context';
import { RequestInProgressError } from '../application/errors';
import type { IdempotentCommands } from '../application/idempotent-commands';
import { requestFingerprint } from '../application/request-fingerprint';
import { sendCommand, type CommandTarget } from '../application/send-command';
import { commandContextOf, idempotencyKeyOf, pathOf } from './request-context';
import type { HttpMethod, ResponseSpec, RouteSpec } from './route-spec';
import {
  commandResultSchema,
  correlationIdHeader,
  idempotencyKeyHeader,
  ifMatchHeader,
  problemSchema,
  traceparentHeader,
} from './schemas';

export interface CommandInput<Params, Body> {
  readonly params: Params;
  readonly body: Body;
  /** The aggregate the command addresses (for a create: given, derived from the Idempotency-Key, or random). */
  readonly aggregateId: string;
  readonly context: CommandContext;
}

interface CommandRouteBase<Params extends z.ZodObject, Body extends z.ZodType> {
  readonly method: Exclude<HttpMethod, 'get'>;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly params: Params;
  readonly body: Body;
  /** False when every field is optional: the request may then come without a body. */
  readonly bodyRequired: boolean;
  /** Creates answer 201 + Location. */
  readonly created?: { readonly location: (id: string) => string };
  readonly aggregateId: (input: { params: z.output<Params>; body: z.output<Body>; idempotencyKey?: string }) => string;
  /** Problem statuses the route can answer besides the ones every command route can (400/401/403/413/415/503). */
  readonly problems: readonly number[];
}

/** A route that sends one command to an existing aggregate: the route builds it, the command handler runs it. */
export interface SingleCommandRoute<Params extends z.ZodObject, Body extends z.ZodType, Command> extends CommandRouteBase<Params, Body> {
  readonly command: (input: CommandInput<z.output<Params>, z.output<Body>>) => Command;
}

/** A route whose request does more than one command's work (a create that reads another aggregate, a reservation). */
export interface UseCaseRoute<Params extends z.ZodObject, Body extends z.ZodType> extends CommandRouteBase<Params, Body> {
  readonly useCase: (input: CommandInput<z.output<Params>, z.output<Body>>) => Promise<CommandOutcome>;
}

/** What every command route uses: the service's command handler and its Idempotency-Key bookkeeping. */
export interface CommandRouteServices {
  readonly handler: CommandHandler;
  readonly idempotency: IdempotentCommands;
}

const storedOutcomeSchema = z.object({ id: z.string(), version: z.int().min(0) });

const COMMON_PROBLEMS = [400, 401, 403, 409, 412, 413, 415, 422, 503];

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input (zod issues in `issues`), malformed JSON, If-Match or Idempotency-Key',
  401: 'No or unknown bearer token',
  403: 'The token lacks the scope',
  404: 'No such aggregate (or sub-entity)',
  409: 'Business rule violation, lost race after retries, or the same Idempotency-Key still in progress (Retry-After)',
  412: 'If-Match names another version than the current one',
  413: 'Body over the size limit',
  415: 'Body is not application/json',
  422: 'Reference to a missing/inactive entity, or an Idempotency-Key reused for another request',
  503: 'The database is unavailable (Retry-After)',
};

export function problemResponses(statuses: readonly number[]): Record<number, ResponseSpec> {
  const unique = [...new Set(statuses)].sort((a, b) => a - b);
  return Object.fromEntries(
    unique.map((status) => [
      status,
      { description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem', schema: problemSchema, problem: true },
    ]),
  );
}

function sendOutcome(res: Response, status: number, outcome: CommandOutcome, location?: (id: string) => string): void {
  res.setHeader('ETag', etagFor(outcome.version));
  if (status === 201 && location) res.setHeader('Location', location(outcome.id));
  sendJson(res, status, { id: outcome.id, version: outcome.version });
}

/** The original answer, again: a success with its ETag (and Location), or the stored problem. */
function sendReplay(res: Response, response: StoredResponse, location?: (id: string) => string): void {
  res.setHeader('Idempotent-Replayed', 'true');
  const outcome = storedOutcomeSchema.safeParse(response.body);
  if (response.status < 300 && outcome.success) {
    sendOutcome(res, response.status, outcome.data, location);
    return;
  }
  const body = typeof response.body === 'object' && response.body !== null ? response.body : {};
  res
    .status(response.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...body, correlationId: correlationIdOf(res) }));
}

/**
 * Endpoints that each send one command to an aggregate of `target`'s type, the one the request names. The
 * target is fixed first, so each route's command is checked against that aggregate's commands.
 */
export function commandRoutesOn<Command, Event extends DomainEvent, State>(
  target: CommandTarget<Command, Event, State>,
  services: CommandRouteServices,
): <Params extends z.ZodObject, Body extends z.ZodType>(definition: SingleCommandRoute<Params, Body, Command>) => RouteSpec {
  return (definition) =>
    mutationRoute(definition, services.idempotency, async (input) => {
      const command = definition.command(input);
      return outcomeOf(input.aggregateId, await sendCommand(services.handler, target, input.aggregateId, command, input.context));
    });
}

/** An endpoint whose request runs a use case. */
export function useCaseRoute<Params extends z.ZodObject, Body extends z.ZodType>(
  definition: UseCaseRoute<Params, Body>,
  services: CommandRouteServices,
): RouteSpec {
  return mutationRoute(definition, services.idempotency, definition.useCase);
}

/**
 * A mutation endpoint: validate params and body (400), read If-Match and Idempotency-Key, run once per key,
 * answer `{id, version}` + ETag. Validation happens before any claim, so a malformed request never binds a key.
 */
function mutationRoute<Params extends z.ZodObject, Body extends z.ZodType>(
  definition: CommandRouteBase<Params, Body>,
  idempotency: IdempotentCommands,
  runRequest: (input: CommandInput<z.output<Params>, z.output<Body>>) => Promise<CommandOutcome>,
): RouteSpec {
  const successStatus = definition.created ? 201 : 200;
  const location = definition.created?.location;
  const serve: RequestHandler = async (req: Request, res: Response) => {
    const params = parseParams(definition.params, req);
    if (!definition.bodyRequired && req.body === undefined) req.body = {};
    const body = parseBody(definition.body, req);
    const idempotencyKey = idempotencyKeyOf(req);
    const context = commandContextOf(req, res, idempotencyKey);
    const aggregateId = definition.aggregateId({
      params,
      body,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    const run = () => runRequest({ params, body, aggregateId, context });
    if (idempotencyKey === undefined) {
      sendOutcome(res, successStatus, await run(), location);
      return;
    }
    try {
      const reply = await idempotency.runOnce({
        key: idempotencyKey,
        fingerprint: requestFingerprint({
          method: req.method,
          path: pathOf(req),
          body: req.body,
          ifMatch: req.get('if-match'),
          principalId: principalOf(res)?.id,
        }),
        aggregateId,
        successStatus,
        instance: pathOf(req),
        run,
      });
      if (reply.kind === 'executed') sendOutcome(res, successStatus, reply.outcome, location);
      else sendReplay(res, reply.response, location);
    } catch (error) {
      if (error instanceof RequestInProgressError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  };
  const success: ResponseSpec = {
    description: definition.created ? 'Created: the new aggregate and its version' : 'Applied: the aggregate version now',
    schema: commandResultSchema,
    headers: definition.created ? ['ETag', 'Location', 'Idempotent-Replayed'] : ['ETag', 'Idempotent-Replayed'],
  };
  return {
    method: definition.method,
    path: definition.path,
    operationId: definition.operationId,
    summary: definition.summary,
    tag: definition.tag,
    scope: 'write',
    params: definition.params,
    body: { schema: definition.body, required: definition.bodyRequired },
    headers: [
      { name: 'If-Match', description: 'Append only if the aggregate is at this version (else 412)', schema: ifMatchHeader },
      {
        name: 'Idempotency-Key',
        description: 'A retry with the same key returns the original response and appends nothing',
        schema: idempotencyKeyHeader,
      },
      { name: 'X-Correlation-Id', description: 'Stored as the events’ correlation id', schema: correlationIdHeader },
      { name: 'traceparent', description: 'W3C trace context', schema: traceparentHeader },
    ],
    responses: { [successStatus]: success, ...problemResponses([...COMMON_PROBLEMS, ...definition.problems]) },
    serve,
  };
}
