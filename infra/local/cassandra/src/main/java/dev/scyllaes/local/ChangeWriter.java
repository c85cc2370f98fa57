package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.cassandra.db.DecoratedKey;
import org.apache.cassandra.db.marshal.BooleanType;
import org.apache.cassandra.db.marshal.Int32Type;
import org.apache.cassandra.db.partitions.PartitionUpdate;
import org.apache.cassandra.schema.TableMetadata;
import org.apache.cassandra.utils.TimeUUID;

/**
 * Makes the log rows of one committed partition update of a CDC table: per write timestamp, the delta rows and
 * the post-images, numbered 0..n by cdc$batch_seq_no, the last with cdc$end_of_batch, all with one cdc$time, in the
 * stream of the partition's token in the generation of that timestamp. Log cells carry the base write's timestamp
 * and the table's CDC TTL.
 *
 * Idempotent: cdc$time's time is the write timestamp and its other bits are a hash of the table, partition key and
 * delta content, so reading the same commit log entry again (after a restart, or a replayed batch, hint or Paxos
 * commit) overwrites the same log rows instead of adding new ones.
 */
final class ChangeWriter
{
    private static final ByteBuffer TRUE = BooleanType.instance.decompose(true);

    private final Generations generations;
    private final LogTables logTables;

    ChangeWriter(Generations generations, LogTables logTables)
    {
        this.generations = generations;
        this.logTables = logTables;
    }

    /** Adds the log rows of {@code update} to {@code pending}; @return how many */
    int write(PartitionUpdate update, PendingLogRows pending)
    {
        TableMetadata base = update.metadata();
        CdcOptions options = CdcOptions.of(base);
        TableMetadata log = logTables.ensure(base);
        int written = 0;
        for (Map.Entry<Long, List<LogRow>> group : DeltaExtractor.extract(update).entrySet())
            written += writeGroup(update, log, options, group.getKey(), group.getValue(), pending);
        return written;
    }

    /** Writes the log rows of one base partition at one write timestamp, which share one cdc$time. */
    private int writeGroup(PartitionUpdate update, TableMetadata log, CdcOptions options, long timestamp, List<LogRow> deltas,
                           PendingLogRows pending)
    {
        TableMetadata base = update.metadata();
        List<Map<String, ByteBuffer>> rows = new ArrayList<>();
        for (LogRow delta : deltas)
            rows.add(delta.values(!options.keysOnly()));
        // Post-images stay out of the hash: they are read from the table and may differ on a re-read.
        TimeUUID time = TimeUUID.atUnixMicrosWithLsb(timestamp, lsb(base, update.partitionKey(), rows));
        if (options.postimage())
            PostImages.of(base, update.partitionKey(), deltas).forEach(image -> rows.add(image.values(true)));
        ByteBuffer stream = generations.streamFor(update.partitionKey().getToken().getLongValue(), timestamp);
        ByteBuffer cdcTime = time.toBytes();
        for (int seq = 0; seq < rows.size(); seq++)
        {
            Map<String, ByteBuffer> row = rows.get(seq);
            if (seq == rows.size() - 1)
                row.put(LogTableSchema.END_OF_BATCH, TRUE);
            pending.add(log, stream, cdcTime, Int32Type.instance.decompose(seq), row, timestamp, options.ttlSeconds());
        }
        return rows.size();
    }

    /** The clock-sequence-and-node half of cdc$time, with the RFC 4122 variant bits set. */
    private static long lsb(TableMetadata base, DecoratedKey partitionKey, List<Map<String, ByteBuffer>> deltas)
    {
        MessageDigest digest = sha256();
        digest.update(base.id.toString().getBytes(StandardCharsets.UTF_8));
        digest.update(partitionKey.getKey().duplicate());
        for (Map<String, ByteBuffer> row : deltas)
        {
            row.forEach((column, value) -> {
                digest.update(column.getBytes(StandardCharsets.UTF_8));
                digest.update(value.duplicate());
            });
        }
        long hash = ByteBuffer.wrap(digest.digest()).getLong();
        return (hash & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
