package dev.scyllaes.local;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.cassandra.config.Config;
import org.apache.cassandra.config.DatabaseDescriptor;
import org.apache.cassandra.db.commitlog.CommitLog;
import org.apache.cassandra.db.commitlog.CommitLogPosition;
import org.apache.cassandra.db.commitlog.CommitLogSegment;

/**
 * When commit log entries are durable, and so visible in the _cdc.idx offsets the emulator reads. In batch and group
 * mode a write is acknowledged only once synced; in periodic mode it may be acknowledged before.
 */
final class CommitLogSync
{
    // A sync reserves the next sync marker (two ints) right after the synced data: allocated, but no entry.
    private static final int SYNC_MARKER_BYTES = 8;
    private static final long WAIT_BEFORE_FORCING_MILLIS = 1_000;

    private CommitLogSync()
    {
    }

    /**
     * Returns once every entry allocated before {@code position} is synced. It asks the commit log's own sync service
     * for a sync and watches it happen (in batch mode the writers waiting for their acknowledgement asked already),
     * rather than syncing itself: a second sync from here would double the fsyncs under load.
     */
    static void awaitSynced(CommitLogPosition position) throws IOException
    {
        CommitLog.instance.requestExtraSync();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_BEFORE_FORCING_MILLIS);
        while (!synced(position))
        {
            if (System.nanoTime() > deadline)
            {
                CommitLog.instance.sync(true);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** Makes the emulator's own writes durable before its position moves past their source, unless they are already. */
    static void syncIfPeriodic() throws IOException
    {
        if (DatabaseDescriptor.getCommitLogSync() == Config.CommitLogSync.periodic)
            CommitLog.instance.sync(true);
    }

    private static boolean synced(CommitLogPosition position)
    {
        for (CommitLogSegment segment : CommitLog.instance.segmentManager.getActiveSegments())
            if (segment.id == position.segmentId)
                return segment.contentSize() + SYNC_MARKER_BYTES >= position.position;
        // No longer active: closed, so synced to its end.
        return true;
    }
}
