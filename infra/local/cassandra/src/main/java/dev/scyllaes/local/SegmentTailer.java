package dev.scyllaes.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.db.Mutation;
import org.apache.cassandra.db.commitlog.CommitLog;
import org.apache.cassandra.db.commitlog.CommitLogDescriptor;
import org.apache.cassandra.db.commitlog.CommitLogPosition;
import org.apache.cassandra.db.commitlog.CommitLogReader;
import org.apache.cassandra.db.partitions.PartitionUpdate;
import org.apache.cassandra.io.util.File;
import org.apache.cassandra.utils.NoSpamLogger;

/**
 * Tails cdc_raw/. Cassandra hard-links every new commit log segment there and, once the segment holds mutations of
 * CDC tables, keeps {@code <segment>_cdc.idx} with its durable offset (plus COMPLETED when closed). Each pass reads
 * the segments in id order, up to their durable offsets, turns the mutations of CDC tables into log rows, and
 * records how far it got. It never moves past a segment that is still open, so mutations are logged in commit order.
 * A segment is deleted only once it is closed and fully processed, which frees cdc_total_space (when that is full,
 * Cassandra rejects writes to CDC tables).
 */
final class SegmentTailer
{
    private static final Logger logger = LoggerFactory.getLogger(SegmentTailer.class);
    private static final String INDEX_SUFFIX = "_cdc.idx";
    private static final String LOG_SUFFIX = ".log";
    // Log rows held in memory before they are written: bounds memory during a long catch-up.
    private static final int MAX_PENDING_ROWS = 2_000;

    private final Path cdcRaw;
    private final PositionFile positionFile;
    private final ChangeWriter writer;
    private final PendingLogRows pending = new PendingLogRows();
    private final EmulatorStatus status;
    // Segments older than the first segment of this run belong to an earlier run: closed even when a killed node
    // never wrote COMPLETED into their idx.
    private final long firstSegmentOfThisRun;
    private Position position;

    SegmentTailer(Path cdcRaw, PositionFile positionFile, ChangeWriter writer, EmulatorStatus status) throws IOException
    {
        this.cdcRaw = cdcRaw;
        this.positionFile = positionFile;
        this.writer = writer;
        this.status = status;
        this.firstSegmentOfThisRun = CommitLog.instance.getActiveSegmentNames().stream()
                                                       .mapToLong(CommitLogDescriptor::idFromFileName)
                                                       .min().orElse(Long.MIN_VALUE);
        this.position = positionFile.load();
        logger.info("CDC emulator resumes at {}", position);
        deleteSegmentsWithoutIndex();
    }

    /**
     * Segments of earlier runs that never got an index held no durable CDC data (Cassandra writes the index at the
     * first sync of CDC data, and again when replaying it), but their links stay in cdc_raw after a restart and
     * count against cdc_total_space.
     */
    private void deleteSegmentsWithoutIndex() throws IOException
    {
        try (Stream<Path> files = Files.list(cdcRaw))
        {
            for (Path segment : files.filter(file -> file.getFileName().toString().endsWith(LOG_SUFFIX)).toList())
            {
                String name = segment.getFileName().toString();
                boolean indexed = Files.exists(segment.resolveSibling(name.replace(LOG_SUFFIX, INDEX_SUFFIX)));
                if (!indexed && CommitLogDescriptor.idFromFileName(name) < firstSegmentOfThisRun)
                    Files.deleteIfExists(segment);
            }
        }
    }

    /**
     * One pass over cdc_raw. Failures are reported, not thrown, so the loop keeps calling.
     *
     * @param passStart the commit log position when the pass began
     * @return whether the pass processed everything durable it found, which includes every write that reached the
     *         commit log before {@code passStart}
     */
    boolean poll(CommitLogPosition passStart)
    {
        long began = System.nanoTime();
        try
        {
            // Everything written before the pass began must be durable, so in the _cdc.idx offsets, before they are
            // read: a write still waiting for its sync now may be acknowledged before this pass ends.
            CommitLogSync.awaitSynced(passStart);
            List<Path> indexes = indexFiles();
            Outcome outcome = Outcome.FINISHED;
            for (Path index : indexes)
            {
                outcome = process(index);
                if (outcome != Outcome.FINISHED)
                    break;
            }
            int pendingSegments = (int) indexes.stream().filter(index -> !position.covers(segmentId(index))).count();
            status.passFinished(position, pendingSegments, outcome != Outcome.BEHIND, (System.nanoTime() - began) / 1000);
            return outcome != Outcome.BEHIND;
        }
        catch (IOException | RuntimeException e)
        {
            status.passFailed(e);
            NoSpamLogger.log(logger, NoSpamLogger.Level.WARN, 10, TimeUnit.SECONDS, "CDC emulator pass failed, will retry: {}", e.toString());
            return false;
        }
    }

    private Outcome process(Path index) throws IOException
    {
        long segmentId = segmentId(index);
        Path segment = index.resolveSibling(index.getFileName().toString().replace(INDEX_SUFFIX, LOG_SUFFIX));
        if (position.covers(segmentId) || !Files.exists(segment))
        {
            if (!position.covers(segmentId))
                logger.warn("{} has lost its segment; dropping the index", index.getFileName());
            delete(segment, index);
            return Outcome.FINISHED;
        }
        Optional<SegmentIndex> durable = SegmentIndex.read(index);
        if (durable.isEmpty())
            return Outcome.BEHIND;
        boolean closed = durable.get().completed() || segmentId < firstSegmentOfThisRun;
        int from = position.resumeOffset(segmentId);
        int limit = closed ? Integer.MAX_VALUE : durable.get().offset();
        if (!closed && from >= limit)
            return Outcome.UP_TO_DATE;

        status.catchingUp();
        SegmentReadHandler handler = new SegmentReadHandler(from, limit, this::write);
        try
        {
            new CommitLogReader().readCommitLogSegment(handler, new File(segment), new CommitLogPosition(segmentId, from),
                                                       CommitLogReader.ALL_MUTATIONS, true);
        }
        finally
        {
            // Rows of entries up to lastEntry may still be pending: written before the position moves past them.
            writePending();
            advance(new Position(segmentId, handler.lastEntry(), false), handler.logRows());
        }
        if (!closed)
            return handler.lastEntry() >= limit ? Outcome.UP_TO_DATE : Outcome.BEHIND;
        if (handler.readError() != null)
            logger.warn("Closed segment {} ended with a read error; taken as its end, as Cassandra's replay does: {}",
                        segment.getFileName(), handler.readError());
        advance(new Position(segmentId, handler.lastEntry(), true), 0);
        delete(segment, index);
        return Outcome.FINISHED;
    }

    private int write(Mutation mutation)
    {
        int rows = 0;
        // Filter per update, not per mutation: one mutation (a logged batch, say) can mix CDC and other tables.
        for (PartitionUpdate update : mutation.getPartitionUpdates())
        {
            if (!LogTableSchema.hasLog(update.metadata()))
                continue;
            rows += writer.write(update, pending);
        }
        if (pending.size() >= MAX_PENDING_ROWS)
            writePending();
        return rows;
    }

    private void writePending()
    {
        int rows = pending.size();
        long newestWrite = pending.newestWriteMicros();
        pending.write();
        if (rows > 0)
            status.processed(newestWrite, rows);
    }

    /** Ends the writer threads; the tailer is not used afterwards. */
    void stop()
    {
        pending.shutdown();
    }

    /**
     * Records a new position. Log rows are ordinary writes; the position may only move past their source once their
     * commit log entries are durable (they are already, unless the commit log is periodic).
     */
    private void advance(Position next, int logRowsSinceLastPosition) throws IOException
    {
        if (next.equals(position))
            return;
        if (logRowsSinceLastPosition > 0)
            CommitLogSync.syncIfPeriodic();
        positionFile.save(next);
        position = next;
    }

    private List<Path> indexFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(cdcRaw))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(INDEX_SUFFIX))
                        .sorted(Comparator.comparingLong(SegmentTailer::segmentId))
                        .toList();
        }
    }

    private static long segmentId(Path index)
    {
        return CommitLogDescriptor.idFromFileName(index.getFileName().toString().replace(INDEX_SUFFIX, LOG_SUFFIX));
    }

    private static void delete(Path segment, Path index) throws IOException
    {
        // The segment before its index: a crash in between leaves an index without segment, which is deleted next pass.
        Files.deleteIfExists(segment);
        Files.deleteIfExists(index);
    }

    /** How a pass left a segment. */
    private enum Outcome
    {
        /** Closed and fully processed: go on with the next segment. */
        FINISHED,
        /** Open, and everything durable in it is processed. */
        UP_TO_DATE,
        /** Open, with durable data not processed yet (unreadable idx, or a read that stopped early). */
        BEHIND
    }
}
