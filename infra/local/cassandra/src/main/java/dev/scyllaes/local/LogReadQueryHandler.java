package dev.scyllaes.local;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.cassandra.cql3.BatchQueryOptions;
import org.apache.cassandra.cql3.CQLStatement;
import org.apache.cassandra.cql3.QueryHandler;
import org.apache.cassandra.cql3.QueryOptions;
import org.apache.cassandra.cql3.QueryProcessor;
import org.apache.cassandra.cql3.statements.BatchStatement;
import org.apache.cassandra.cql3.statements.SelectStatement;
import org.apache.cassandra.service.ClientState;
import org.apache.cassandra.service.QueryState;
import org.apache.cassandra.transport.Dispatcher;
import org.apache.cassandra.transport.messages.ResultMessage;
import org.apache.cassandra.utils.MD5Digest;

/**
 * Cassandra's query processor for client requests, except that a SELECT from a {@code *_scylla_cdc_log} table first
 * waits at the {@link LogReadBarrier}. Installed by the launcher through {@code cassandra.custom_query_handler_class}.
 */
public final class LogReadQueryHandler implements QueryHandler
{
    private final QueryProcessor processor = QueryProcessor.instance;

    @Override
    public CQLStatement parse(String query, QueryState state, QueryOptions options)
    {
        return processor.parse(query, state, options);
    }

    @Override
    public ResultMessage process(CQLStatement statement, QueryState state, QueryOptions options,
                                 Map<String, ByteBuffer> customPayload, Dispatcher.RequestTime requestTime)
    {
        awaitLogIfNeeded(statement);
        return processor.process(statement, state, options, customPayload, requestTime);
    }

    @Override
    public ResultMessage.Prepared prepare(String query, ClientState clientState, Map<String, ByteBuffer> customPayload)
    {
        return processor.prepare(query, clientState, customPayload);
    }

    @Override
    public QueryHandler.Prepared getPrepared(MD5Digest id)
    {
        return processor.getPrepared(id);
    }

    @Override
    public ResultMessage processPrepared(CQLStatement statement, QueryState state, QueryOptions options,
                                         Map<String, ByteBuffer> customPayload, Dispatcher.RequestTime requestTime)
    {
        awaitLogIfNeeded(statement);
        return processor.processPrepared(statement, state, options, customPayload, requestTime);
    }

    @Override
    public ResultMessage processBatch(BatchStatement statement, QueryState state, BatchQueryOptions options,
                                      Map<String, ByteBuffer> customPayload, Dispatcher.RequestTime requestTime)
    {
        // A batch only writes.
        return processor.processBatch(statement, state, options, customPayload, requestTime);
    }

    private static void awaitLogIfNeeded(CQLStatement statement)
    {
        if (statement instanceof SelectStatement select && select.table.name.endsWith(LogTableSchema.SUFFIX))
            LogReadBarrier.awaitAcknowledgedWrites();
    }
}
