package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.cassandra.db.Clustering;
import org.apache.cassandra.db.marshal.ByteType;
import org.apache.cassandra.db.marshal.LongType;
import org.apache.cassandra.schema.ColumnMetadata;

/** One log row of a change, before it is given its stream, cdc$time and place in its group. */
final class LogRow
{
    private Operation operation;
    private final int ttl;
    private final Clustering<?> row;
    private final Map<String, ByteBuffer> keys;
    private final Map<ColumnMetadata, ColumnChange> changes = new LinkedHashMap<>();

    /**
     * @param ttl  TTL of the live cells the row reports, 0 for none
     * @param row  the base row it reports on (the static clustering for the static row), null for partition and
     *             range deletions
     * @param keys the base key columns it names, by log column name
     */
    LogRow(Operation operation, int ttl, Clustering<?> row, Map<String, ByteBuffer> keys)
    {
        this.operation = operation;
        this.ttl = ttl;
        this.row = row;
        this.keys = keys;
    }

    /** The base row got a primary key liveness marker: the change was an INSERT. */
    void markInsert()
    {
        operation = Operation.ROW_INSERT;
    }

    ColumnChange change(ColumnMetadata column)
    {
        return changes.computeIfAbsent(column, c -> new ColumnChange());
    }

    Clustering<?> row()
    {
        return row;
    }

    /** Log column values of this row; {@code withColumns} false leaves only the keys, as {@code delta = 'keys'} does. */
    Map<String, ByteBuffer> values(boolean withColumns)
    {
        Map<String, ByteBuffer> values = new LinkedHashMap<>();
        values.put(LogTableSchema.OPERATION, ByteType.instance.decompose(operation.code));
        if (ttl > 0)
            values.put(LogTableSchema.TTL, LongType.instance.decompose((long) ttl));
        values.putAll(keys);
        if (withColumns)
            changes.forEach((column, change) -> change.render(column, values));
        return values;
    }
}
