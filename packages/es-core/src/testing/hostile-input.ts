import fc from 'fast-check';

/**
 * Generators of what a careless or hostile client sends: every part of a request that a service parses, each
 * arbitrary mixing the plausible with the malformed. Values are strings ready to put on the wire.
 */

const INJECTIONS = [
  "' OR 1=1 --",
  "'; DROP TABLE event_store; --",
  '{"$ne": null}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '\u0000',
  '\r\nX-Injected: 1',
  '*',
  'null',
  'undefined',
  'NaN',
];

const NUMBERS = ['-1', '0', '-0', '1e308', '-1e308', '9007199254740993', '1.5', '0x10', 'Infinity', '1e3', ' 1', '١٢'];

/** A string of odd characters: unicode planes, controls, surrogates, right-to-left marks. */
const oddText = fc.string({ unit: 'binary', maxLength: 40 });

/** A path-parameter value that is not a valid id of anything. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INJECTIONS, ...NUMBERS, 'not-a-uuid', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(5000)),
  fc.uuid().map((uuid) => `${uuid}0`),
  fc.uuid().map((uuid) => uuid.replace(/-/g, '')),
  oddText.filter((text) => text.length > 0),
);

/** A query string (without `?`) with unknown keys, bad numbers, bad cursors, repeated keys and odd text. */
export const hostileQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('limit', 'cursor', 'from', 'to', 'version', 'asOf', 'minVersion', 'status', 'aggregateType', 'source', 'x', '__proto__'),
      fc.oneof(
        fc.constantFrom(...NUMBERS, ...INJECTIONS, '', 'eyJub3QiOiJhIGN1cnNvciJ9', '2020-13-45T99:00:00Z', 'a'.repeat(3000)),
        oddText,
      ),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) => pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&'));

/** A JSON value of any shape, with edge-case scalars. */
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '😀', 'x'.repeat(2000)),
    fc.constantFrom(...INJECTIONS),
    oddText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'email', 'items'), oddText), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** `depth` arrays inside each other: a parser without a depth limit recurses that deep. */
const nestedArrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A request body as it goes on the wire: broken JSON, wrong types, huge or deeply nested documents, odd text. */
export const hostileBody: fc.Arbitrary<string> = fc.oneof(
  anyJson.map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom('{', '{"a":}', "{'single': 'quotes'}", '{"a":1}}', '\u0000\u0001', '', 'true', '"text"', '[1,2', 'NaN'),
  fc.integer({ min: 1_000, max: 20_000 }).map(nestedArrays),
  fc.integer({ min: 70_000, max: 200_000 }).map((size) => JSON.stringify({ padding: 'z'.repeat(size) })),
  oddText,
);

/** One hostile request's variable parts; the route walker supplies method and path. */
export interface HostileRequest {
  /** Replaces each path parameter, or keeps a valid value when undefined. */
  readonly id?: string;
  readonly query?: string;
  readonly body?: string;
  readonly contentType: string;
}

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .record(
    {
      id: hostileId,
      query: hostileQuery,
      body: hostileBody,
      contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded'),
    },
    { requiredKeys: ['contentType'] },
  )
  // Something must be wrong with it, or the case would test nothing hostile.
  .filter((request) => request.id !== undefined || request.query !== undefined || request.body !== undefined || request.contentType !== 'application/json');
