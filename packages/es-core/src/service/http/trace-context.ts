/** The parts of a W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/). */
export interface TraceContext {
  readonly version: string;
  readonly traceId: string;
  readonly parentId: string;
  readonly flags: string;
  readonly sampled: boolean;
  /** The header as received, to forward unchanged (e.g. into event metadata). */
  readonly traceparent: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/**
 * Parses a `traceparent`; anything invalid yields undefined, as the spec asks receivers to ignore it and
 * start a new trace rather than reject the request.
 */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, version = '', traceId = '', parentId = '', flags = '', rest] = match;
  // Version ff is forbidden; version 00 has exactly four fields. Later versions may append fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return {
    version,
    traceId,
    parentId,
    flags,
    sampled: (Number.parseInt(flags, 16) & 0x01) === 0x01,
    traceparent: value,
  };
}
