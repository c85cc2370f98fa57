package dev.scyllaes.local;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.schema.TableMetadata;
import org.apache.cassandra.utils.JsonUtils;

/**
 * A table's ScyllaDB CDC options. Cassandra's {@code cdc} option is only a boolean, so the schema tool keeps the
 * original ScyllaDB options in the table comment: {@code scylla_cdc={"enabled":"true","postimage":"true","ttl":"600"}}.
 * Absent options take ScyllaDB's defaults (no pre-image, no post-image, full delta, TTL 86400 s).
 *
 * @param postimage  write an extra post-image row (operation 9) after the delta rows
 * @param keysOnly   {@code delta = 'keys'}: delta rows carry only the primary key columns
 * @param ttlSeconds TTL of log cells; 0 means none
 */
record CdcOptions(boolean postimage, boolean keysOnly, int ttlSeconds)
{
    static final String COMMENT_PREFIX = "scylla_cdc=";
    private static final CdcOptions DEFAULTS = new CdcOptions(false, false, 86400);
    private static final Logger logger = LoggerFactory.getLogger(CdcOptions.class);
    // Parsed once per distinct comment: this runs for every captured partition update.
    private static final Map<String, CdcOptions> byComment = new ConcurrentHashMap<>();

    static CdcOptions of(TableMetadata table)
    {
        return byComment.computeIfAbsent(table.params.comment, comment -> parse(table, comment));
    }

    private static CdcOptions parse(TableMetadata table, String comment)
    {
        int start = comment.indexOf(COMMENT_PREFIX);
        if (start < 0)
            return DEFAULTS;
        try
        {
            // readTree stops after the first JSON value, so text after the object is allowed.
            JsonNode options = JsonUtils.JSON_OBJECT_MAPPER.readTree(comment.substring(start + COMMENT_PREFIX.length()));
            String preimage = options.path("preimage").asText("false");
            if (!preimage.equalsIgnoreCase("false"))
                logger.warn("{}.{} asks for CDC pre-images ({}); the emulation does not write them", table.keyspace, table.name, preimage);
            return new CdcOptions(options.path("postimage").asText("false").equalsIgnoreCase("true"),
                                  options.path("delta").asText("full").equalsIgnoreCase("keys"),
                                  Integer.parseInt(options.path("ttl").asText(String.valueOf(DEFAULTS.ttlSeconds))));
        }
        catch (Exception e)
        {
            logger.warn("Unreadable CDC options in the comment of {}.{}, using ScyllaDB's defaults: {}", table.keyspace, table.name, comment, e);
            return DEFAULTS;
        }
    }
}
