package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.cassandra.db.Mutation;
import org.apache.cassandra.db.partitions.PartitionUpdate;
import org.apache.cassandra.schema.TableId;
import org.apache.cassandra.schema.TableMetadata;

/**
 * Log rows waiting to be written, gathered per log partition (one stream of one log table) and written as one
 * mutation per partition, all partitions at once. Each write returns only once its commit log entry is synced when
 * the node acknowledges only synced writes; writing the partitions concurrently lets them share one sync instead of
 * paying one each, which would cap the emulator near one row per sync interval.
 */
final class PendingLogRows
{
    private static final int WRITERS = 32;

    private record LogPartition(TableId table, ByteBuffer stream)
    {
    }

    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, runnable -> {
        Thread thread = new Thread(runnable, "cdc-emulator-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<LogPartition, PartitionUpdate.SimpleBuilder> partitions = new LinkedHashMap<>();
    private int rows;
    private long newestWriteMicros;

    /**
     * @param values log column values other than the primary key; absent columns get no cell (not a tombstone)
     */
    void add(TableMetadata log, ByteBuffer stream, ByteBuffer time, ByteBuffer batchSeqNo, Map<String, ByteBuffer> values,
             long timestamp, int ttlSeconds)
    {
        PartitionUpdate.SimpleBuilder partition = partitions.computeIfAbsent(new LogPartition(log.id, stream),
                                                                             key -> PartitionUpdate.simpleBuilder(log, stream));
        var row = partition.timestamp(timestamp).ttl(ttlSeconds).row(time, batchSeqNo);
        values.forEach(row::add);
        rows++;
        newestWriteMicros = Math.max(newestWriteMicros, timestamp);
    }

    int size()
    {
        return rows;
    }

    /** Timestamp of the newest base write among the pending rows. */
    long newestWriteMicros()
    {
        return newestWriteMicros;
    }

    /** Writes every pending row and returns once all are applied (durable when the commit log mode makes them so). */
    void write()
    {
        if (partitions.isEmpty())
            return;
        List<Future<?>> writes = new ArrayList<>(partitions.size());
        for (PartitionUpdate.SimpleBuilder partition : partitions.values())
        {
            Mutation mutation = partition.buildAsMutation();
            writes.add(writers.submit((Runnable) mutation::apply));
        }
        partitions.clear();
        rows = 0;
        newestWriteMicros = 0;
        for (Future<?> write : writes)
            await(write);
    }

    void shutdown()
    {
        writers.shutdown();
    }

    private static void await(Future<?> write)
    {
        try
        {
            write.get();
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing log rows", e);
        }
        catch (ExecutionException e)
        {
            throw new IllegalStateException("Writing log rows failed", e.getCause());
        }
    }
}
