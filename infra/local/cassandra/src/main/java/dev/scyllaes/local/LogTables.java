package dev.scyllaes.local;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.cql3.QueryProcessor;
import org.apache.cassandra.db.marshal.AbstractType;
import org.apache.cassandra.schema.KeyspaceMetadata;
import org.apache.cassandra.schema.Schema;
import org.apache.cassandra.schema.SchemaChangeListener;
import org.apache.cassandra.schema.TableMetadata;
import org.apache.cassandra.utils.ByteBufferUtil;

/**
 * Keeps a {@code <table>_scylla_cdc_log} next to every CDC-enabled table, created and altered with its base table
 * and dropped with it, as ScyllaDB does.
 *
 * The listener runs on the thread applying the base table's schema change, before that change is acknowledged, so
 * the log table's DDL is done right there: when a client's CREATE TABLE returns, the log table exists and is
 * queryable (done on another thread, a client polling system_schema could see the log table before its store was
 * open). The schema lock is re-entrant and the schema is already updated when listeners run, so the nested change
 * applies on top of it. Every statement is idempotent, so the emulator may also call {@link #ensure} before writing,
 * as a safety net, without any lock of its own (one would invert the schema lock order).
 */
final class LogTables implements SchemaChangeListener
{
    private static final Logger logger = LoggerFactory.getLogger(LogTables.class);

    /** Creates or completes the log table of every CDC-enabled table that exists now. */
    void ensureAll()
    {
        for (String keyspace : Schema.instance.getUserKeyspaces())
        {
            KeyspaceMetadata metadata = Schema.instance.getKeyspaceMetadata(keyspace);
            if (metadata != null)
                metadata.tables.forEach(table -> {
                    if (LogTableSchema.hasLog(table))
                        ensure(table);
                });
        }
    }

    /** Returns the log table of {@code base}, creating it or adding the columns the base table gained since. */
    TableMetadata ensure(TableMetadata base)
    {
        String logName = LogTableSchema.logTableName(base.name);
        TableMetadata log = Schema.instance.getTableMetadata(base.keyspace, logName);
        if (log == null)
        {
            QueryProcessor.executeInternal(LogTableSchema.createStatement(base));
            logger.info("Created CDC log table {}.{}", base.keyspace, logName);
            return Schema.instance.getTableMetadata(base.keyspace, logName);
        }
        boolean altered = false;
        for (Map.Entry<String, AbstractType<?>> column : LogTableSchema.columns(base).entrySet())
        {
            if (log.getColumn(ByteBufferUtil.bytes(column.getKey())) == null)
            {
                QueryProcessor.executeInternal(LogTableSchema.addColumnStatement(base, column.getKey(), column.getValue()));
                altered = true;
            }
        }
        return altered ? Schema.instance.getTableMetadata(base.keyspace, logName) : log;
    }

    @Override
    public void onCreateTable(TableMetadata table)
    {
        quietly(table, () -> ensure(table));
    }

    @Override
    public void onAlterTable(TableMetadata before, TableMetadata after, boolean affectsStatements)
    {
        quietly(after, () -> ensure(after));
    }

    @Override
    public void onDropTable(TableMetadata table, boolean dropData)
    {
        quietly(table, () -> QueryProcessor.executeInternal("DROP TABLE IF EXISTS " + LogTableSchema.qualifiedName(table)));
    }

    /** Runs log table DDL for a CDC table; a failure must never fail the base table's own DDL. */
    private static void quietly(TableMetadata table, Runnable ddl)
    {
        if (!LogTableSchema.hasLog(table))
            return;
        try
        {
            ddl.run();
        }
        catch (RuntimeException e)
        {
            // The emulator creates a missing log table before it writes the first log row.
            logger.error("CDC log table DDL failed for {}.{}", table.keyspace, table.name, e);
        }
    }
}
