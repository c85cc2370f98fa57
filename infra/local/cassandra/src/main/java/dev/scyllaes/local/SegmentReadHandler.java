package dev.scyllaes.local;

import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.db.Mutation;
import org.apache.cassandra.db.commitlog.CommitLogDescriptor;
import org.apache.cassandra.db.commitlog.CommitLogReadHandler;

/**
 * Receives the mutations of one pass over one segment. The reader has no end offset, so mutations ending past the
 * durable offset from the _cdc.idx are ignored here; they are read again on a later pass once they are durable.
 * Any read error ends the pass: on a live segment the rest is simply retried.
 */
final class SegmentReadHandler implements CommitLogReadHandler
{
    private static final Logger logger = LoggerFactory.getLogger(SegmentReadHandler.class);

    private final int durableOffset;
    private final ToIntFunction<Mutation> processor;
    private int lastEntry;
    private int logRows;
    private String readError;

    /**
     * @param resumeOffset  where the pass starts (end of the last processed entry)
     * @param durableOffset end of the durable part of the segment
     * @param processor     turns a mutation into log rows, returning how many it wrote
     */
    SegmentReadHandler(int resumeOffset, int durableOffset, ToIntFunction<Mutation> processor)
    {
        this.lastEntry = resumeOffset;
        this.durableOffset = durableOffset;
        this.processor = processor;
    }

    @Override
    public void handleMutation(Mutation mutation, int size, int entryLocation, CommitLogDescriptor descriptor)
    {
        if (entryLocation > durableOffset)
            return;
        logRows += processor.applyAsInt(mutation);
        lastEntry = entryLocation;
    }

    @Override
    public boolean shouldSkipSegmentOnError(CommitLogReadException exception)
    {
        readError = exception.getMessage();
        return true;
    }

    @Override
    public void handleUnrecoverableError(CommitLogReadException exception)
    {
        // A non-permissible error is a mutation that passed its checksum but cannot be deserialized: the reader
        // skips it and goes on, and so does the log; say so loudly.
        if (!exception.permissible)
            logger.error("Skipping an unreadable commit log entry: {}", exception.getMessage());
        readError = exception.getMessage();
    }

    /** End offset of the last mutation processed (or the resume offset if none). */
    int lastEntry()
    {
        return lastEntry;
    }

    int logRows()
    {
        return logRows;
    }

    /** The read error that ended the pass early, or null. */
    String readError()
    {
        return readError;
    }
}
