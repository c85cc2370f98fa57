package dev.scyllaes.local;

/**
 * Emulated shards, computed as ScyllaDB computes a token's shard with its default {@code murmur3_partitioner_ignore_msb_bits}
 * of 12: the token is made unsigned, shifted left by 12 bits, and the top 64 bits of (that × shard count) are the shard.
 * Shards therefore own alternating slices of 2^52 / shards tokens, and every vnode range holds tokens of every shard.
 */
final class Sharding
{
    private static final int IGNORE_MSB = 12;
    private static final int SLICE_BITS = Long.SIZE - IGNORE_MSB;
    private static final long SLICE_MASK = (1L << SLICE_BITS) - 1;

    private Sharding()
    {
    }

    static int shardOf(long token, int shards)
    {
        long shifted = unsigned(token) << IGNORE_MSB;
        // Unsigned high half of shifted × shards (Math.unsignedMultiplyHigh is Java 18+).
        long high = Math.multiplyHigh(shifted, shards) + (shifted < 0 ? shards : 0);
        return (int) high;
    }

    /**
     * The first token after {@code rangeStart} (exclusive) that belongs to {@code shard}, if it is within the range
     * ending at {@code rangeEnd} (inclusive, wrapping past the largest token); else {@code rangeEnd}.
     */
    static long firstTokenOfShard(long rangeStart, long rangeEnd, int shard, int shards)
    {
        long first = unsigned(rangeStart) + 1;
        long candidate = first;
        if (shardOf(signed(candidate), shards) != shard)
        {
            long sliceStart = (((long) shard << SLICE_BITS) + shards - 1) / shards; // first low-52-bit value of the shard
            long period = candidate & ~SLICE_MASK;
            candidate = period | sliceStart;
            if (Long.compareUnsigned(candidate, first) < 0)
                candidate += 1L << SLICE_BITS;
        }
        boolean inRange = Long.compareUnsigned(candidate - first, unsigned(rangeEnd) - first) <= 0;
        return inRange ? signed(candidate) : rangeEnd;
    }

    private static long unsigned(long token)
    {
        return token ^ Long.MIN_VALUE;
    }

    private static long signed(long unsigned)
    {
        return unsigned ^ Long.MIN_VALUE;
    }
}
