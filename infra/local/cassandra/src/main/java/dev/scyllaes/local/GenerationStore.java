package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.cassandra.cql3.QueryProcessor;
import org.apache.cassandra.cql3.UntypedResultSet;
import org.apache.cassandra.db.marshal.BytesType;
import org.apache.cassandra.schema.SchemaConstants;

/**
 * ScyllaDB's two generation tables, with ScyllaDB's exact schema, so consumers read them with ScyllaDB's own queries.
 * Internal statements may create tables in system_distributed (external clients may not); the tables persist in the
 * schema across restarts.
 */
final class GenerationStore
{
    private static final String TIMESTAMPS_KEY = "timestamps";

    private final String keyspace;

    GenerationStore(String keyspace)
    {
        this.keyspace = keyspace;
    }

    String keyspace()
    {
        return keyspace;
    }

    void createTables()
    {
        if (!keyspace.equals(SchemaConstants.DISTRIBUTED_KEYSPACE_NAME))
            QueryProcessor.executeInternal(String.format("CREATE KEYSPACE IF NOT EXISTS %s WITH replication = " +
                                                         "{'class': 'SimpleStrategy', 'replication_factor': 1}", quotedKeyspace()));
        QueryProcessor.executeInternal(String.format("CREATE TABLE IF NOT EXISTS %s.cdc_generation_timestamps (" +
                                                     "key text, time timestamp, expired timestamp, PRIMARY KEY (key, time)) " +
                                                     "WITH CLUSTERING ORDER BY (time DESC)", quotedKeyspace()));
        QueryProcessor.executeInternal(String.format("CREATE TABLE IF NOT EXISTS %s.cdc_streams_descriptions_v2 (" +
                                                     "time timestamp, range_end bigint, streams frozen<set<blob>>, " +
                                                     "PRIMARY KEY (time, range_end))", quotedKeyspace()));
    }

    List<Generation> load()
    {
        List<Generation> generations = new ArrayList<>();
        UntypedResultSet times = QueryProcessor.executeInternal(String.format("SELECT time FROM %s.cdc_generation_timestamps WHERE key = ?",
                                                                              quotedKeyspace()), TIMESTAMPS_KEY);
        for (UntypedResultSet.Row row : times)
        {
            Date time = row.getTimestamp("time");
            SortedMap<Long, Set<ByteBuffer>> ranges = new TreeMap<>();
            for (UntypedResultSet.Row range : QueryProcessor.executeInternal(String.format("SELECT range_end, streams FROM %s.cdc_streams_descriptions_v2 WHERE time = ?",
                                                                                           quotedKeyspace()), time))
                ranges.put(range.getLong("range_end"), range.getFrozenSet("streams", BytesType.instance));
            if (!ranges.isEmpty())
                generations.add(Generation.fromRanges(time.getTime(), ranges));
        }
        return generations;
    }

    /** Streams first, then the timestamp: a reader that sees the timestamp can always read the streams. */
    void save(Generation generation)
    {
        Date time = new Date(generation.timeMillis());
        for (int range = 0; range < generation.rangeEnds().length; range++)
            QueryProcessor.executeInternal(String.format("INSERT INTO %s.cdc_streams_descriptions_v2 (time, range_end, streams) VALUES (?, ?, ?)",
                                                         quotedKeyspace()),
                                           time, generation.rangeEnds()[range], new HashSet<>(generation.streams().get(range)));
        QueryProcessor.executeInternal(String.format("INSERT INTO %s.cdc_generation_timestamps (key, time) VALUES (?, ?)", quotedKeyspace()),
                                       TIMESTAMPS_KEY, time);
    }

    private String quotedKeyspace()
    {
        return LogTableSchema.quote(keyspace);
    }
}
