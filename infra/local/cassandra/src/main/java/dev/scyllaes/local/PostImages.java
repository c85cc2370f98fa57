package dev.scyllaes.local;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.cassandra.db.Clustering;
import org.apache.cassandra.db.ClusteringPrefix;
import org.apache.cassandra.db.DecoratedKey;
import org.apache.cassandra.db.ReadExecutionController;
import org.apache.cassandra.db.SinglePartitionReadCommand;
import org.apache.cassandra.db.Slices;
import org.apache.cassandra.db.partitions.PartitionIterator;
import org.apache.cassandra.db.rows.Cell;
import org.apache.cassandra.db.rows.ColumnData;
import org.apache.cassandra.db.rows.ComplexColumnData;
import org.apache.cassandra.db.rows.Row;
import org.apache.cassandra.db.rows.RowIterator;
import org.apache.cassandra.schema.TableMetadata;
import org.apache.cassandra.utils.FBUtilities;

/**
 * Post-image rows (operation 9): the full state, after the change, of each base row the change wrote or deleted
 * (static row included), when it still exists. The emulator reads that state when it processes the change, a moment
 * after the write: a later write to the same row in between shows up in the image.
 */
final class PostImages
{
    private PostImages()
    {
    }

    static List<LogRow> of(TableMetadata table, DecoratedKey partitionKey, List<LogRow> deltas)
    {
        Set<Clustering<?>> touched = new LinkedHashSet<>();
        for (LogRow delta : deltas)
            if (delta.row() != null)
                touched.add(delta.row());
        List<LogRow> images = new ArrayList<>(touched.size());
        for (Clustering<?> clustering : touched)
            read(table, partitionKey, clustering).ifPresent(row -> images.add(image(table, partitionKey, row)));
        return images;
    }

    private static Optional<Row> read(TableMetadata table, DecoratedKey partitionKey, Clustering<?> clustering)
    {
        boolean isStatic = clustering.kind() == ClusteringPrefix.Kind.STATIC_CLUSTERING;
        long now = FBUtilities.nowInSeconds();
        SinglePartitionReadCommand command = isStatic
                                             ? SinglePartitionReadCommand.create(table, now, partitionKey, Slices.NONE)
                                             : SinglePartitionReadCommand.create(table, now, partitionKey, clustering);
        try (ReadExecutionController controller = command.executionController();
             PartitionIterator partitions = command.executeInternal(controller))
        {
            if (!partitions.hasNext())
                return Optional.empty();
            try (RowIterator rows = partitions.next())
            {
                if (isStatic)
                    return rows.staticRow().isEmpty() ? Optional.empty() : Optional.of(rows.staticRow());
                return rows.hasNext() ? Optional.of(rows.next()) : Optional.empty();
            }
        }
    }

    private static LogRow image(TableMetadata table, DecoratedKey partitionKey, Row row)
    {
        LogRow image = new LogRow(Operation.POST_IMAGE, 0, row.clustering(), BaseKeys.of(table, partitionKey, row.clustering()));
        for (ColumnData data : row)
        {
            if (data.column().isSimple())
                image.change(data.column()).cell((Cell<?>) data);
            else
                ((ComplexColumnData) data).forEach(cell -> image.change(data.column()).element(cell));
        }
        return image;
    }
}
