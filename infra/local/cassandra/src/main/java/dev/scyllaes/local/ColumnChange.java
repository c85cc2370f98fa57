package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.cassandra.db.marshal.BooleanType;
import org.apache.cassandra.db.rows.Cell;
import org.apache.cassandra.schema.ColumnMetadata;

/** What one write did to one non-key column, and how ScyllaDB's log shows it. */
final class ColumnChange
{
    private static final ByteBuffer TRUE = BooleanType.instance.decompose(true);

    private ByteBuffer value;
    private boolean deleted;
    private final List<Cell<?>> written = new ArrayList<>();
    private final List<Cell<?>> removed = new ArrayList<>();

    /** A cell of a simple (or frozen) column: a value, or a tombstone when the column was set to null. */
    void cell(Cell<?> cell)
    {
        if (cell.isTombstone())
            deleted = true;
        else
            value = cell.buffer();
    }

    /** The whole multi-cell column was deleted, or overwritten (Cassandra deletes it before writing the new cells). */
    void deleteAll()
    {
        deleted = true;
    }

    /** One element (collection cell or UDT field) written or removed. */
    void element(Cell<?> cell)
    {
        (cell.isTombstone() ? removed : written).add(cell);
    }

    void render(ColumnMetadata column, Map<String, ByteBuffer> logValues)
    {
        if (column.isComplex())
        {
            if (!written.isEmpty())
                logValues.put(column.name.toString(), CollectionValues.written(column.type, written));
            if (!removed.isEmpty())
                logValues.put(LogTableSchema.deletedElementsColumn(column), CollectionValues.keys(removed));
        }
        else if (value != null)
        {
            logValues.put(column.name.toString(), value);
        }
        if (deleted)
            logValues.put(LogTableSchema.deletedColumn(column), TRUE);
    }
}
