import { z } from 'zod';
import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';

const position = z.object({ at: z.int(), id: z.string() });

describe('cursors', () => {
  it('come back as the position they were made from', () => {
    expect(decodeCursor(encodeCursor('status:Created', { at: 5, id: 'x' }), 'status:Created', position)).toMatchObject({ at: 5, id: 'x' });
  });

  it('are refused for another listing', () => {
    const cursor = encodeCursor('customer:a', { at: 5, id: 'x' });
    expect(() => decodeCursor(cursor, 'customer:b', position)).toThrow(InvalidCursorError);
  });

  it('are refused when made up or tampered with', () => {
    expect(() => decodeCursor('not-a-cursor', 'status:Created', position)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor('status:Created', { at: 'soon' }), 'status:Created', position)).toThrow(InvalidCursorError);
  });
});
