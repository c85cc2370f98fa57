import { vnodeIndexOf } from './stream-id';

const streamId = (token: bigint, vnode: number, random = 0x1234n) => {
  const id = Buffer.alloc(16);
  id.writeBigInt64BE(token, 0);
  id.writeBigUInt64BE((random << 26n) | (BigInt(vnode) << 4n) | 1n, 8);
  return id;
};

describe('CDC stream ids', () => {
  it('carry the vnode index in bits 4-25 of their low half, whatever the token and random bits', () => {
    expect(vnodeIndexOf(streamId(-9_000_000_000_000_000_000n, 0))).toBe(0);
    expect(vnodeIndexOf(streamId(42n, 17))).toBe(17);
    expect(vnodeIndexOf(streamId(9_000_000_000_000_000_000n, 0x3f_ffff, 0x3f_ffff_ffffn))).toBe(0x3f_ffff);
  });

  it('are 16 bytes long', () => {
    expect(() => vnodeIndexOf(Buffer.alloc(8))).toThrow(/16 bytes/);
  });
});
