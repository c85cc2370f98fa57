package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.cassandra.db.marshal.AbstractType;
import org.apache.cassandra.db.marshal.CollectionType;
import org.apache.cassandra.db.marshal.TupleType;
import org.apache.cassandra.db.marshal.UserType;
import org.apache.cassandra.db.rows.Cell;
import org.apache.cassandra.serializers.CollectionSerializer;

/**
 * Turns the cells of a non-frozen collection or UDT into the frozen values ScyllaDB's log holds: written elements as
 * the log column's frozen type (a list as a map from its timeuuid cell keys to values), removed ones as a frozen set
 * of their keys. Cells arrive sorted by key, which is the order a frozen value needs.
 */
final class CollectionValues
{
    private CollectionValues()
    {
    }

    /** The frozen value of the written cells of a multi-cell column of type {@code type}. */
    static ByteBuffer written(AbstractType<?> type, List<Cell<?>> cells)
    {
        if (type instanceof UserType udt)
        {
            ByteBuffer[] fields = new ByteBuffer[udt.size()];
            for (Cell<?> cell : cells)
                fields[fieldIndex(cell)] = cell.buffer();
            return TupleType.buildValue(fields);
        }
        CollectionType<?> collection = (CollectionType<?>) type;
        List<ByteBuffer> values = new ArrayList<>(cells.size() * 2);
        for (Cell<?> cell : cells)
        {
            values.add(cell.path().get(0));
            // A set's elements are its keys; lists and maps carry a value per key.
            if (collection.kind != CollectionType.Kind.SET)
                values.add(cell.buffer());
        }
        return CollectionSerializer.pack(values, cells.size());
    }

    /** The frozen set of the keys (elements, map keys, list timeuuids, UDT field indices) of removed cells. */
    static ByteBuffer keys(List<Cell<?>> cells)
    {
        List<ByteBuffer> keys = new ArrayList<>(cells.size());
        for (Cell<?> cell : cells)
            keys.add(cell.path().get(0));
        return CollectionSerializer.pack(keys, keys.size());
    }

    private static int fieldIndex(Cell<?> cell)
    {
        ByteBuffer path = cell.path().get(0);
        return path.getShort(path.position());
    }
}
