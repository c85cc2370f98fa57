package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.cassandra.db.ClusteringPrefix;
import org.apache.cassandra.db.DecoratedKey;
import org.apache.cassandra.db.marshal.CompositeType;
import org.apache.cassandra.schema.ColumnMetadata;
import org.apache.cassandra.schema.TableMetadata;

/** The base table's key column values of a log row, by log column name (the log repeats the base key columns). */
final class BaseKeys
{
    private BaseKeys()
    {
    }

    /**
     * @param clustering a clustering or a range bound; a prefix names only its leading clustering columns, and the
     *                   static clustering (empty) or null names none
     */
    static Map<String, ByteBuffer> of(TableMetadata table, DecoratedKey partitionKey, ClusteringPrefix<?> clustering)
    {
        Map<String, ByteBuffer> keys = new LinkedHashMap<>();
        List<ColumnMetadata> partitionColumns = table.partitionKeyColumns();
        ByteBuffer[] components = partitionColumns.size() == 1
                                  ? new ByteBuffer[]{ partitionKey.getKey() }
                                  : ((CompositeType) table.partitionKeyType).split(partitionKey.getKey());
        for (int i = 0; i < components.length; i++)
            keys.put(partitionColumns.get(i).name.toString(), components[i]);
        if (clustering != null)
            for (int i = 0; i < clustering.size(); i++)
                keys.put(table.clusteringColumns().get(i).name.toString(), clustering.bufferAt(i));
        return keys;
    }
}
