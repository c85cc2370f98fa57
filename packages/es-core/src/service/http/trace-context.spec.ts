import { parseTraceparent } from './trace-context';

describe('parseTraceparent', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parentId = '00f067aa0ba902b7';

  it('parses a valid version-00 header', () => {
    expect(parseTraceparent(`00-${traceId}-${parentId}-01`)).toEqual({
      version: '00',
      traceId,
      parentId,
      flags: '01',
      sampled: true,
      traceparent: `00-${traceId}-${parentId}-01`,
    });
    expect(parseTraceparent(`00-${traceId}-${parentId}-00`)?.sampled).toBe(false);
  });

  it('accepts extra fields from a future version', () => {
    expect(parseTraceparent(`01-${traceId}-${parentId}-01-future`)?.traceId).toBe(traceId);
  });

  it.each([
    undefined,
    '',
    `ff-${traceId}-${parentId}-01`,
    `00-${traceId}-${parentId}-01-extra`,
    `00-${'0'.repeat(32)}-${parentId}-01`,
    `00-${traceId}-${'0'.repeat(16)}-01`,
    `00-${traceId.toUpperCase()}-${parentId}-01`,
    `00-${traceId}-${parentId}`,
  ])('ignores the invalid header %p', (header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});
