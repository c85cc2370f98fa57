package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;

/**
 * One CDC generation: from {@code timeMillis} on, a write goes to the stream of the vnode range owning its partition's
 * token (the first range whose end is >= the token, wrapping to the first range) and of the token's shard.
 *
 * @param rangeEnds ends of the vnode ranges, ascending (the token ring when the generation was made)
 * @param streams   per range, its streams ordered by shard
 */
record Generation(long timeMillis, long[] rangeEnds, List<List<ByteBuffer>> streams)
{
    /** A generation with fresh stream ids over the given token ring. */
    static Generation create(long timeMillis, long[] ring, int shards, Random random)
    {
        long[] ends = ring.clone();
        Arrays.sort(ends);
        List<List<ByteBuffer>> streams = new ArrayList<>(ends.length);
        for (int range = 0; range < ends.length; range++)
        {
            long start = ends[(range + ends.length - 1) % ends.length];
            List<ByteBuffer> rangeStreams = new ArrayList<>(shards);
            for (int shard = 0; shard < shards; shard++)
                rangeStreams.add(StreamIds.create(Sharding.firstTokenOfShard(start, ends[range], shard, shards), range, random.nextLong()));
            streams.add(List.copyOf(rangeStreams));
        }
        return new Generation(timeMillis, ends, List.copyOf(streams));
    }

    /**
     * A generation read back from cdc_streams_descriptions_v2 (range end → set of streams). A set loses the shard
     * order; the shard of each stream is the shard of the token it carries.
     */
    static Generation fromRanges(long timeMillis, SortedMap<Long, ? extends Collection<ByteBuffer>> ranges)
    {
        long[] ends = ranges.keySet().stream().mapToLong(Long::longValue).toArray();
        List<List<ByteBuffer>> streams = ranges.values().stream().map(set -> {
            int shards = set.size();
            return set.stream()
                      .sorted(Comparator.comparingInt((ByteBuffer id) -> Sharding.shardOf(StreamIds.token(id), shards))
                                        .thenComparing(Comparator.naturalOrder()))
                      .toList();
        }).toList();
        return new Generation(timeMillis, ends, streams);
    }

    ByteBuffer streamFor(long token)
    {
        int range = Arrays.binarySearch(rangeEnds, token);
        if (range < 0)
            range = -range - 1;
        if (range == rangeEnds.length)
            range = 0;
        List<ByteBuffer> rangeStreams = streams.get(range);
        return rangeStreams.get(Sharding.shardOf(token, rangeStreams.size())).duplicate();
    }

    int streamCount()
    {
        return streams.stream().mapToInt(List::size).sum();
    }
}
