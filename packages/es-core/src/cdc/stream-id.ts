/**
 * A ScyllaDB CDC stream id is 16 bytes: the high 8 are a token (big-endian signed int64), the low 8 hold the
 * format version (bits 0-3), the vnode index (bits 4-25) and random bits. Streams of one vnode are read by
 * one worker (what ScyllaDB's own libraries do), so the vnode index is the stream group.
 */
export function vnodeIndexOf(streamId: Buffer): number {
  if (streamId.length !== 16) throw new Error(`a CDC stream id has 16 bytes, not ${streamId.length}`);
  const low = streamId.readBigUInt64BE(8);
  return Number((low >> 4n) & 0x3f_ffffn);
}
