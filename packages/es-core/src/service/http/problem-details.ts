import type { Response } from 'express';
import { ZodError } from 'zod';
import { EventSourcingError } from '../../core/errors/domain-errors';
import { cqlFailureOf } from '../../cql/engine-errors';
import { engineFailureIn, type EngineFailure } from '../../core/errors/engine-failure';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../../core/errors/engine-unavailable';
import { writeOutcomeUnknownDetail } from '../../core/errors/write-outcome-unknown';
import { kafkaFailureOf } from '../../kafka/kafka-failures';
import { ForbiddenError, UnauthorizedError } from './errors';

/** Problem `type` URIs are identifiers, not links: they must never change once clients match on them. */
export const PROBLEM_TYPE_BASE = 'https://scylla-es.dev/problems/';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 body. Extension members sit beside the standard ones, as the RFC prescribes. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

/** A problem plus the headers that belong to it (Retry-After, WWW-Authenticate). */
export interface ProblemResponse {
  readonly problem: ProblemDetails;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Who is at fault: `client` (a deliberate answer: a 4xx, or a typed error's own status such as 501; nothing to
   * log beyond a line), `unavailable` (503, an engine is down) or `internal` (a 500, a bug: the error must be
   * logged because the response deliberately says nothing).
   */
  readonly fault: 'client' | 'unavailable' | 'internal';
}

/** One zod issue as clients see it: `path` starts with where the value came from (body, params, query). */
export interface ProblemIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly code: string;
}

/** The engines whose client libraries are recognised: the database driver and the Kafka client. */
const engineFailureOf = (error: unknown): EngineFailure | undefined => engineFailureIn(error, [cqlFailureOf, kafkaFailureOf]);

export const problemType = (slug: string): string => `${PROBLEM_TYPE_BASE}${slug}`;

const TITLES: Readonly<Record<string, string>> = {
  'validation-failed': 'Request validation failed',
  'malformed-json': 'Malformed JSON body',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'bad-request': 'Bad request',
  'client-error': 'Client error',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'route-not-found': 'Route not found',
  'engine-unavailable': 'Service temporarily unavailable',
  'write-outcome-unknown': 'Outcome of the write unknown',
  'internal-error': 'Internal server error',
};

/** A title is fixed per type (RFC 9457 §3.1.3), so one is derived from the slug when none is listed. */
function titleFor(slug: string): string {
  const known = TITLES[slug];
  if (known) return known;
  const words = slug.replace(/[-_]+/g, ' ').trim();
  return words.length === 0 ? 'Error' : words.charAt(0).toUpperCase() + words.slice(1);
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance']);

export interface ProblemInput {
  readonly slug: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** Builds a body; extensions can never overwrite a standard member. */
export function createProblem({ slug, status, detail, instance, extensions = {} }: ProblemInput): ProblemDetails {
  const safeExtensions = Object.fromEntries(Object.entries(extensions).filter(([key]) => !STANDARD_MEMBERS.has(key)));
  return {
    ...safeExtensions,
    type: problemType(slug),
    title: titleFor(slug),
    status,
    detail,
    ...(instance === undefined ? {} : { instance }),
  };
}

export function issuesOf(error: ZodError): ProblemIssue[] {
  return error.issues.map((issue) => ({
    // Symbols cannot travel in JSON; they never occur in request data anyway.
    path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    message: issue.message,
    code: issue.code,
  }));
}

/** body-parser (and http-errors) mark their errors with a `type` and a `status`; they are recognised by shape. */
interface HttpLibraryError {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly expose?: unknown;
  readonly limit?: unknown;
}

function httpStatusOf(error: HttpLibraryError): number | undefined {
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

function fromHttpLibrary(error: unknown, instance: string | undefined): ProblemResponse | undefined {
  if (!(error instanceof Error)) return undefined;
  const httpError = error as Error & HttpLibraryError;
  const status = httpStatusOf(httpError);
  if (status === undefined) return undefined;
  const clientResponse = (
    slug: string,
    code: number,
    detail: string,
    extensions: Readonly<Record<string, unknown>> = {},
  ): ProblemResponse => ({
    problem: createProblem({ slug, status: code, detail, instance, extensions }),
    headers: {},
    fault: 'client',
  });
  switch (httpError.type) {
    case 'entity.parse.failed':
      return clientResponse('malformed-json', 400, 'the request body is not valid JSON');
    case 'entity.too.large':
      return clientResponse(
        'payload-too-large',
        413,
        'the request body exceeds the size limit',
        typeof httpError.limit === 'number' ? { limitBytes: httpError.limit } : {},
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return clientResponse('unsupported-media-type', 415, 'the body charset or content encoding is not supported', {
        accepted: ['application/json'],
      });
  }
  if (status < 400 || status >= 500) return undefined;
  // Other client errors raised by the HTTP stack (e.g. an undecodable path parameter). Their message is shown
  // only when the library declares it safe (`expose`), as http-errors does.
  const detail = httpError.expose === true ? error.message : 'the request is malformed';
  return clientResponse(status === 400 ? 'bad-request' : 'client-error', status, detail);
}

function fromEventSourcingError(error: EventSourcingError, instance: string | undefined): ProblemResponse {
  const headers: Record<string, string> = {};
  if (error instanceof UnauthorizedError || error instanceof ForbiddenError) {
    headers['WWW-Authenticate'] = error.challenge;
  }
  // Only a 503 invites a retry; a 409 whose cause happens to be a driver error must not.
  const outage = error.status === 503 ? engineFailureOf(error) : undefined;
  if (error.status === 503) {
    headers['Retry-After'] = String(outage?.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
  }
  return {
    problem: createProblem({
      slug: error.type,
      status: error.status,
      detail: error.message,
      instance,
      extensions: error.details,
    }),
    headers,
    // A typed error chose its status: only a 500 says something went wrong that nobody foresaw.
    fault: error.status === 503 ? 'unavailable' : error.status === 500 ? 'internal' : 'client',
  };
}

export interface ProblemOptions {
  /** The request path, echoed as `instance`. */
  readonly instance?: string;
  /** The request method: a request that changes nothing (GET, HEAD) cannot have an unknown outcome. */
  readonly method?: string;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 503 + Retry-After either way; only the problem type and the advice differ. */
function fromEngineFailure(failure: EngineFailure, { instance, method }: ProblemOptions): ProblemResponse {
  const outcomeUnknown = failure.kind === 'outcome-unknown' && !SAFE_METHODS.has(method?.toUpperCase() ?? '');
  const { engine } = failure;
  return {
    // The driver's message names hosts and addresses: only the engine is disclosed.
    problem: outcomeUnknown
      ? createProblem({
          slug: 'write-outcome-unknown',
          status: 503,
          detail: writeOutcomeUnknownDetail(engine),
          instance,
          extensions: { engine, retryWithSameIdempotencyKey: true },
        })
      : createProblem({
          slug: 'engine-unavailable',
          status: 503,
          detail: `${engine} is temporarily unavailable; retry later`,
          instance,
          extensions: { engine },
        }),
    headers: { 'Retry-After': String(failure.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) },
    fault: 'unavailable',
  };
}

/**
 * Maps any thrown value to the problem the client sees. Typed errors keep their status, slug and details; an engine
 * failure (database or Kafka, by what it means) is a 503 + Retry-After, `write-outcome-unknown` when a write may
 * have been applied; everything else is a bug: a 500 that reveals nothing, the caller logs the original.
 */
export function problemFromError(error: unknown, options: ProblemOptions = {}): ProblemResponse {
  const { instance } = options;
  if (error instanceof EventSourcingError) return fromEventSourcingError(error, instance);
  if (error instanceof ZodError) {
    return {
      problem: createProblem({
        slug: 'validation-failed',
        status: 400,
        detail: 'the request does not match the expected shape',
        instance,
        extensions: { issues: issuesOf(error) },
      }),
      headers: {},
      fault: 'client',
    };
  }
  const failure = engineFailureOf(error);
  if (failure) return fromEngineFailure(failure, options);
  const fromLibrary = fromHttpLibrary(error, instance);
  if (fromLibrary) return fromLibrary;
  return {
    problem: createProblem({
      slug: 'internal-error',
      status: 500,
      detail: 'an unexpected error occurred; quote the correlation id when reporting it',
      instance,
    }),
    headers: {},
    fault: 'internal',
  };
}

/** Writes a problem response; `extensions` add per-request members such as the correlation id. */
export function sendProblem(
  res: Response,
  { problem: body, headers }: ProblemResponse,
  extensions: Readonly<Record<string, unknown>> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...extensions, ...body }));
}
