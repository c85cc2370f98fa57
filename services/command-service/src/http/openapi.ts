import { timestampSchema } from '@scylla-es/domain';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { HeaderSpec, ResponseSpec, RouteSpec } from './route-spec';

type JsonSchema = Record<string, unknown>;

/** Request schemas are described as clients send them, responses as the service writes them (dates as strings). */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (context) => {
      const { zodSchema, jsonSchema } = context;
      // A point in time: a Date in the domain, an ISO-8601 string on the wire.
      if (zodSchema === timestampSchema || zodSchema._zod.def.type === 'date') {
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
      }
    },
  }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

/** An aggregate's state as GET answers it: never null (404 instead), plus its version. */
function aggregateStateSchema(schema: z.ZodType): JsonSchema {
  const generated = jsonSchemaOf(schema, 'output');
  const variants = Array.isArray(generated.anyOf) ? (generated.anyOf as JsonSchema[]) : [generated];
  const object = variants.find((variant) => variant.type === 'object') ?? {};
  const properties = { ...(object.properties as JsonSchema | undefined), version: { type: 'integer', minimum: 1 } };
  const required = [...((object.required as string[] | undefined) ?? []), 'version'];
  return { ...object, properties, required };
}

const RESPONSE_HEADERS: Readonly<Record<string, JsonSchema>> = {
  ETag: { description: 'The aggregate version as a strong entity tag ("7"); send it back in If-Match', schema: { type: 'string' } },
  Location: { description: 'The created aggregate', schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: 'Present ("true") when the response is the stored outcome of an earlier request with the same key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': { description: 'Seconds to wait before retrying (503, 409 request-in-progress)', schema: { type: 'integer' } },
  'X-Correlation-Id': { description: 'The request’s correlation id', schema: { type: 'string' } },
};

const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parametersOf(spec: RouteSpec): JsonSchema[] {
  const fromObject = (schema: z.ZodObject | undefined, location: 'path' | 'query'): JsonSchema[] => {
    if (!schema) return [];
    const objectSchema = jsonSchemaOf(schema, 'input');
    const properties = (objectSchema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((objectSchema.required as string[] | undefined) ?? []);
    return Object.entries(properties).map(([name, property]) => ({
      name,
      in: location,
      required: location === 'path' || required.has(name),
      schema: property,
    }));
  };
  const headers = (spec.headers ?? []).map((header: HeaderSpec) => ({
    name: header.name,
    in: 'header',
    required: false,
    description: header.description,
    schema: jsonSchemaOf(header.schema, 'input'),
  }));
  return [...fromObject(spec.params, 'path'), ...fromObject(spec.query, 'query'), ...headers];
}

function responseOf(status: number, response: ResponseSpec): JsonSchema {
  const headers: Record<string, JsonSchema> = { 'X-Correlation-Id': RESPONSE_HEADERS['X-Correlation-Id'] ?? {} };
  for (const name of response.headers ?? []) headers[name] = RESPONSE_HEADERS[name] ?? {};
  if (status === 503 || status === 409) headers['Retry-After'] = RESPONSE_HEADERS['Retry-After'] ?? {};
  if (status === 401) headers['WWW-Authenticate'] = { description: 'RFC 6750 bearer challenge', schema: { type: 'string' } };
  const content = response.schema
    ? {
        [response.problem ? 'application/problem+json' : 'application/json']: {
          schema: response.aggregateState ? aggregateStateSchema(response.schema) : jsonSchemaOf(response.schema, 'output'),
        },
      }
    : undefined;
  return { description: response.description, headers, ...(content ? { content } : {}) };
}

/** OpenAPI 3.1 (JSON Schema 2020-12 dialect) for every route, from the zod schemas the routes validate with. */
export function openApiDocument(specs: readonly RouteSpec[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of specs) {
    const path = openApiPath(spec.path);
    const operations = (paths[path] ??= {});
    operations[spec.method] = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      security: [{ bearerAuth: [spec.scope] }],
      'x-required-scope': spec.scope,
      parameters: parametersOf(spec),
      ...(spec.body
        ? {
            requestBody: {
              required: spec.body.required,
              content: { 'application/json': { schema: jsonSchemaOf(spec.body.schema, 'input') } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(spec.responses).map(([status, response]) => [status, responseOf(Number(status), response)]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'Commands append events to the ScyllaDB event store in one conditional batch; GETs replay the write model. ' +
        'Errors are RFC 9457 problem details. Scopes nest: admin ⊇ write ⊇ read.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'orders', description: 'Order aggregate' },
      { name: 'customers', description: 'Customer aggregate' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Tokens from AUTH_TOKENS; the role list of each operation names the scope it needs',
        },
      },
    },
    paths,
  };
}

/** `GET /openapi.json`: open, like health and metrics; built once. */
export function openApiHandler(document: JsonSchema): RequestHandler {
  const body = JSON.stringify(document);
  return (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(body);
  };
}
