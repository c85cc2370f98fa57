/** Request opcodes of the CQL native protocol (v3–v5 share them). */
export const CQL_OPCODES = { startup: 0x01, options: 0x05, query: 0x07, prepare: 0x09, execute: 0x0a, register: 0x0b, batch: 0x0d } as const;

const HEADER_BYTES = 9;
const REQUEST_DIRECTION = 0x80;

/**
 * The opcodes of the CQL request frames in a chunk a client wrote, as far as whole frame headers can be read
 * from its start. A driver writes many frames in one chunk; a chunk that starts mid-frame yields nothing.
 */
export function cqlRequestOpcodes(chunk: Buffer): number[] {
  const opcodes: number[] = [];
  for (let offset = 0; offset + HEADER_BYTES <= chunk.length; ) {
    const version = chunk.readUInt8(offset);
    if ((version & REQUEST_DIRECTION) !== 0 || version < 3 || version > 5) break;
    opcodes.push(chunk.readUInt8(offset + 4));
    offset += HEADER_BYTES + chunk.readUInt32BE(offset + 5);
  }
  return opcodes;
}

/** A chunk selector for TcpProxy.cut: chunks that carry a BATCH, which is how the event store appends. */
export const carriesCqlBatch = (chunk: Buffer): boolean => cqlRequestOpcodes(chunk).includes(CQL_OPCODES.batch);
