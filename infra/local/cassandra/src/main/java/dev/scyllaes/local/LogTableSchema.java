package dev.scyllaes.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.cassandra.db.marshal.AbstractType;
import org.apache.cassandra.db.marshal.BooleanType;
import org.apache.cassandra.db.marshal.ByteType;
import org.apache.cassandra.db.marshal.BytesType;
import org.apache.cassandra.db.marshal.CollectionType;
import org.apache.cassandra.db.marshal.Int32Type;
import org.apache.cassandra.db.marshal.ListType;
import org.apache.cassandra.db.marshal.LongType;
import org.apache.cassandra.db.marshal.MapType;
import org.apache.cassandra.db.marshal.SetType;
import org.apache.cassandra.db.marshal.ShortType;
import org.apache.cassandra.db.marshal.TimeUUIDType;
import org.apache.cassandra.db.marshal.UserType;
import org.apache.cassandra.schema.ColumnMetadata;
import org.apache.cassandra.schema.TableMetadata;

/**
 * The layout ScyllaDB gives {@code <table>_scylla_cdc_log}: the cdc$ metadata columns, the base primary key columns
 * with their own types, then for every other base column its value (frozen), {@code cdc$deleted_<col>} and, for
 * non-frozen collections and UDTs, {@code cdc$deleted_elements_<col>}. Static base columns become regular columns.
 */
final class LogTableSchema
{
    static final String SUFFIX = "_scylla_cdc_log";
    static final String STREAM_ID = "cdc$stream_id";
    static final String TIME = "cdc$time";
    static final String BATCH_SEQ_NO = "cdc$batch_seq_no";
    static final String END_OF_BATCH = "cdc$end_of_batch";
    static final String OPERATION = "cdc$operation";
    static final String TTL = "cdc$ttl";

    private LogTableSchema()
    {
    }

    /** Whether a table gets a CDC log: its cdc option is on, and it is not a counter table (ScyllaDB refuses those). */
    static boolean hasLog(TableMetadata table)
    {
        return table.params.cdc && !table.isCounter();
    }

    static String logTableName(String baseTable)
    {
        return baseTable + SUFFIX;
    }

    static String deletedColumn(ColumnMetadata column)
    {
        return "cdc$deleted_" + column.name;
    }

    static String deletedElementsColumn(ColumnMetadata column)
    {
        return "cdc$deleted_elements_" + column.name;
    }

    /** Every column of the log table of {@code base}, in ScyllaDB's order, with its type. */
    static Map<String, AbstractType<?>> columns(TableMetadata base)
    {
        Map<String, AbstractType<?>> columns = new LinkedHashMap<>();
        columns.put(STREAM_ID, BytesType.instance);
        columns.put(TIME, TimeUUIDType.instance);
        columns.put(BATCH_SEQ_NO, Int32Type.instance);
        columns.put(END_OF_BATCH, BooleanType.instance);
        columns.put(OPERATION, ByteType.instance);
        columns.put(TTL, LongType.instance);
        for (ColumnMetadata key : base.primaryKeyColumns())
            columns.put(key.name.toString(), key.type);
        for (ColumnMetadata column : base.regularAndStaticColumns())
        {
            columns.put(column.name.toString(), valueType(column.type));
            columns.put(deletedColumn(column), BooleanType.instance);
            if (column.type.isMultiCell())
                columns.put(deletedElementsColumn(column), deletedElementsType(column.type));
        }
        return columns;
    }

    static String createStatement(TableMetadata base)
    {
        String columns = columns(base).entrySet().stream()
                                      .map(column -> definition(column.getKey(), column.getValue()))
                                      .collect(Collectors.joining(", "));
        return String.format("CREATE TABLE IF NOT EXISTS %s (%s, PRIMARY KEY (%s, %s, %s)) " +
                             "WITH CLUSTERING ORDER BY (%s ASC, %s ASC) AND comment = '%s' AND gc_grace_seconds = 0",
                             qualifiedName(base), columns,
                             quote(STREAM_ID), quote(TIME), quote(BATCH_SEQ_NO),
                             quote(TIME), quote(BATCH_SEQ_NO),
                             ("CDC log for " + base.keyspace + '.' + base.name).replace("'", "''"));
    }

    static String addColumnStatement(TableMetadata base, String column, AbstractType<?> type)
    {
        return String.format("ALTER TABLE %s ADD IF NOT EXISTS %s", qualifiedName(base), definition(column, type));
    }

    static String qualifiedName(TableMetadata base)
    {
        return quote(base.keyspace) + '.' + quote(logTableName(base.name));
    }

    /** Identifiers are always quoted: cdc$ names need it and base names keep their case. */
    static String quote(String identifier)
    {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * The log column type of a base column: the frozen form of its type, except that a non-frozen list becomes
     * {@code frozen<map<timeuuid, T>>} keyed by the list cells' timeuuid keys, as ScyllaDB logs lists.
     */
    static AbstractType<?> valueType(AbstractType<?> type)
    {
        if (type.isMultiCell() && type instanceof ListType<?> list)
            return MapType.getInstance(TimeUUIDType.instance, list.getElementsType(), false);
        return type.freeze();
    }

    /** Removed set elements, map keys, list cell keys (timeuuid) or UDT field indices (smallint), as a frozen set. */
    private static AbstractType<?> deletedElementsType(AbstractType<?> type)
    {
        if (type instanceof UserType)
            return SetType.getInstance(ShortType.instance, false);
        return SetType.getInstance(((CollectionType<?>) type).nameComparator(), false);
    }

    private static String definition(String column, AbstractType<?> type)
    {
        return quote(column) + ' ' + type.asCQL3Type();
    }
}
