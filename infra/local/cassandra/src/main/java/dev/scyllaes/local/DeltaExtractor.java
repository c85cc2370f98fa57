package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import org.apache.cassandra.db.ClusteringBound;
import org.apache.cassandra.db.ClusteringPrefix;
import org.apache.cassandra.db.DeletionTime;
import org.apache.cassandra.db.LivenessInfo;
import org.apache.cassandra.db.RangeTombstone;
import org.apache.cassandra.db.partitions.PartitionUpdate;
import org.apache.cassandra.db.rows.Cell;
import org.apache.cassandra.db.rows.ColumnData;
import org.apache.cassandra.db.rows.ComplexColumnData;
import org.apache.cassandra.db.rows.Row;

/**
 * Splits a committed partition update into ScyllaDB delta rows, grouped by write timestamp (one group = one base
 * partition at one timestamp = one cdc$time). Within a group: partition deletion, range deletions (start then end
 * bound), the static row, then clustering rows in clustering order; a row's deletion before its new data. A row's
 * data with different TTLs gives one log row per TTL, since a log row has a single cdc$ttl.
 */
final class DeltaExtractor
{
    private final PartitionUpdate update;
    private final NavigableMap<Long, List<LogRow>> groups = new TreeMap<>();

    private DeltaExtractor(PartitionUpdate update)
    {
        this.update = update;
    }

    /** Delta rows by write timestamp (µs), ascending. */
    static NavigableMap<Long, List<LogRow>> extract(PartitionUpdate update)
    {
        DeltaExtractor extractor = new DeltaExtractor(update);
        extractor.partitionDeletion();
        update.deletionInfo().rangeIterator(false).forEachRemaining(extractor::rangeDeletion);
        if (!update.staticRow().isEmpty())
            extractor.row(update.staticRow());
        for (Row row : update)
            extractor.row(row);
        return extractor.groups;
    }

    private void partitionDeletion()
    {
        DeletionTime deletion = update.partitionLevelDeletion();
        if (!deletion.isLive())
            add(deletion.markedForDeleteAt(), new LogRow(Operation.PARTITION_DELETE, 0, null, keys(null)));
    }

    private void rangeDeletion(RangeTombstone tombstone)
    {
        long timestamp = tombstone.deletionTime().markedForDeleteAt();
        ClusteringBound<?> start = tombstone.deletedSlice().start();
        ClusteringBound<?> end = tombstone.deletedSlice().end();
        add(timestamp, new LogRow(start.isInclusive() ? Operation.RANGE_DELETE_START_INCLUSIVE : Operation.RANGE_DELETE_START_EXCLUSIVE,
                                  0, null, keys(start)));
        add(timestamp, new LogRow(end.isInclusive() ? Operation.RANGE_DELETE_END_INCLUSIVE : Operation.RANGE_DELETE_END_EXCLUSIVE,
                                  0, null, keys(end)));
    }

    private void row(Row row)
    {
        if (!row.deletion().isLive())
            add(row.deletion().time().markedForDeleteAt(), new LogRow(Operation.ROW_DELETE, 0, row.clustering(), keys(row.clustering())));
        RowChanges changes = new RowChanges(row);
        for (ColumnData data : row)
        {
            if (data.column().isSimple())
                changes.cell((Cell<?>) data);
            else
                changes.complex((ComplexColumnData) data);
        }
        changes.rows.forEach((key, logRow) -> add(key.timestamp, logRow));
    }

    private Map<String, ByteBuffer> keys(ClusteringPrefix<?> clustering)
    {
        return BaseKeys.of(update.metadata(), update.partitionKey(), clustering);
    }

    private void add(long timestamp, LogRow row)
    {
        groups.computeIfAbsent(timestamp, t -> new ArrayList<>()).add(row);
    }

    private static int ttl(LivenessInfo liveness)
    {
        return liveness.isExpiring() ? liveness.ttl() : 0;
    }

    private static int ttl(Cell<?> cell)
    {
        return cell.isExpiring() ? cell.ttl() : 0;
    }

    /** The log rows of one base row, keyed by (timestamp, TTL), in that order. */
    private final class RowChanges
    {
        private final Row row;
        private final Map<Key, LogRow> rows = new TreeMap<>();
        // TTL of the live data at each timestamp (the INSERT's if any): deletions at that timestamp join that log row.
        private final Map<Long, Integer> liveTtls = new HashMap<>();
        private final Set<Long> timestamps = new HashSet<>();

        RowChanges(Row row)
        {
            this.row = row;
            LivenessInfo liveness = row.primaryKeyLivenessInfo();
            if (!liveness.isEmpty())
            {
                liveTtls.put(liveness.timestamp(), ttl(liveness));
                timestamps.add(liveness.timestamp());
            }
            for (Cell<?> cell : row.cells())
            {
                timestamps.add(cell.timestamp());
                if (!cell.isTombstone())
                    liveTtls.putIfAbsent(cell.timestamp(), ttl(cell));
            }
            // Only an INSERT writes a primary key liveness marker.
            if (!liveness.isEmpty())
                at(liveness.timestamp(), ttl(liveness)).markInsert();
        }

        void cell(Cell<?> cell)
        {
            logRowOf(cell).change(cell.column()).cell(cell);
        }

        void complex(ComplexColumnData column)
        {
            if (!column.complexDeletion().isLive())
                deletionAt(overwriteTimestamp(column.complexDeletion().markedForDeleteAt())).change(column.column()).deleteAll();
            for (Cell<?> cell : column)
                logRowOf(cell).change(column.column()).element(cell);
        }

        private LogRow logRowOf(Cell<?> cell)
        {
            return cell.isTombstone() ? deletionAt(cell.timestamp()) : at(cell.timestamp(), ttl(cell));
        }

        private LogRow deletionAt(long timestamp)
        {
            return at(timestamp, liveTtls.getOrDefault(timestamp, 0));
        }

        private LogRow at(long timestamp, int ttl)
        {
            return rows.computeIfAbsent(new Key(timestamp, ttl),
                                        key -> new LogRow(Operation.ROW_UPDATE, ttl, row.clustering(), keys(row.clustering())));
        }

        /**
         * Writing a whole non-frozen collection (INSERT, or UPDATE SET c = ...) deletes the old one at the write's
         * timestamp - 1; ScyllaDB reports that deletion in the same log row as the write.
         */
        private long overwriteTimestamp(long deletedAt)
        {
            return timestamps.contains(deletedAt + 1) ? deletedAt + 1 : deletedAt;
        }
    }

    private record Key(long timestamp, int ttl) implements Comparable<Key>
    {
        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::timestamp).thenComparingInt(Key::ttl);

        @Override
        public int compareTo(Key other)
        {
            return ORDER.compare(this, other);
        }
    }
}
