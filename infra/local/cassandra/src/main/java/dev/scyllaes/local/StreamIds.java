package dev.scyllaes.local;

import java.nio.ByteBuffer;

/**
 * ScyllaDB's stream id for vnode keyspaces (16 bytes): the high 8 bytes are a token of the stream's vnode range and
 * shard (big-endian signed int64); the low 8 bytes hold the version in bits 0-3 (1), the vnode index in bits 4-25
 * and random bits in 26-63, so each generation gets fresh ids.
 */
final class StreamIds
{
    private static final long VERSION = 1;
    private static final int VNODE_INDEX_SHIFT = 4;
    private static final long VNODE_INDEX_MASK = (1L << 22) - 1;
    private static final int RANDOM_SHIFT = 26;

    private StreamIds()
    {
    }

    static ByteBuffer create(long token, int vnodeIndex, long random)
    {
        long low = (random << RANDOM_SHIFT) | ((vnodeIndex & VNODE_INDEX_MASK) << VNODE_INDEX_SHIFT) | VERSION;
        ByteBuffer id = ByteBuffer.allocate(16);
        id.putLong(token).putLong(low).flip();
        return id;
    }

    static long token(ByteBuffer streamId)
    {
        return streamId.getLong(streamId.position());
    }
}
