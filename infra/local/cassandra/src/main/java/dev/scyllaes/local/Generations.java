package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.dht.Token;
import org.apache.cassandra.service.StorageService;

/**
 * The CDC generations: the first one is made at the node's first start and all are reused after restarts; more are
 * made on request. A write's stream comes from the generation in force at the WRITE's timestamp, as in ScyllaDB.
 */
final class Generations
{
    private static final Logger logger = LoggerFactory.getLogger(Generations.class);

    private final GenerationStore store;
    private final int shards;
    private final SecureRandom random = new SecureRandom();
    private final NavigableMap<Long, Generation> byTime = new TreeMap<>();
    // Highest write timestamp (µs) already given a stream: a new generation must start after it, or that write
    // would sit in an old generation's stream although its time is past the switch.
    private long maxRoutedMicros = Long.MIN_VALUE;

    private Generations(GenerationStore store, int shards)
    {
        this.store = store;
        this.shards = shards;
    }

    static Generations open(GenerationStore store, int shards)
    {
        Generations generations = new Generations(store, shards);
        store.createTables();
        store.load().forEach(generation -> generations.byTime.put(generation.timeMillis(), generation));
        if (generations.byTime.isEmpty())
            generations.create(System.currentTimeMillis());
        logger.info("CDC generations in {}: {}", store.keyspace(), generations.byTime.keySet());
        return generations;
    }

    /** Makes a generation starting at {@code requestedMillis}, or just after the newest write already routed. */
    synchronized Generation create(long requestedMillis)
    {
        long timeMillis = Math.max(requestedMillis, Math.floorDiv(maxRoutedMicros, 1000) + 1);
        if (!byTime.isEmpty())
            timeMillis = Math.max(timeMillis, byTime.lastKey() + 1);
        Generation generation = Generation.create(timeMillis, ring(), shards, random);
        store.save(generation);
        byTime.put(timeMillis, generation);
        logger.info("New CDC generation at {} with {} streams", timeMillis, generation.streamCount());
        return generation;
    }

    /** The stream of a write to a partition with this token at this timestamp (µs). */
    synchronized ByteBuffer streamFor(long token, long writeMicros)
    {
        maxRoutedMicros = Math.max(maxRoutedMicros, writeMicros);
        // Writes older than the first generation (explicit old timestamps) use the first generation.
        Map.Entry<Long, Generation> entry = byTime.floorEntry(Math.floorDiv(writeMicros, 1000));
        Generation generation = entry != null ? entry.getValue() : byTime.firstEntry().getValue();
        return generation.streamFor(token);
    }

    synchronized List<Generation> all()
    {
        return new ArrayList<>(byTime.values());
    }

    private static long[] ring()
    {
        return StorageService.instance.getTokenMetadata().sortedTokens().stream().mapToLong(Token::getLongValue).toArray();
    }
}
