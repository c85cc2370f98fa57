package dev.scyllaes.local;

import java.util.concurrent.TimeUnit;

import org.apache.cassandra.db.ConsistencyLevel;
import org.apache.cassandra.db.commitlog.CommitLog;
import org.apache.cassandra.db.commitlog.CommitLogPosition;
import org.apache.cassandra.exceptions.ReadTimeoutException;

/**
 * Makes reads of the CDC log read-your-writes, as they are on ScyllaDB, where a log row is written atomically with its
 * base write. Every write acknowledged before a read arrives sits in the commit log before the position current at
 * that moment; the read waits until the emulator finished a pass that began at or after that position (such a pass
 * first syncs the commit log up to where it began, so it sees those writes durable and logs them). A read that cannot be served within the bound fails as a read
 * timeout, which readers retry; it never returns a log without those writes.
 */
final class LogReadBarrier
{
    private static volatile LogReadBarrier installed;

    private final long timeoutMillis;
    private final Runnable wakeEmulator;
    private final EmulatorStatus status;
    private CommitLogPosition covered = CommitLogPosition.NONE;

    private LogReadBarrier(long timeoutMillis, Runnable wakeEmulator, EmulatorStatus status)
    {
        this.timeoutMillis = timeoutMillis;
        this.wakeEmulator = wakeEmulator;
        this.status = status;
    }

    /** Installs the barrier that log reads of this node wait at; before that, they are refused. */
    static LogReadBarrier install(long timeoutMillis, Runnable wakeEmulator, EmulatorStatus status)
    {
        installed = new LogReadBarrier(timeoutMillis, wakeEmulator, status);
        return installed;
    }

    /** Blocks until every write acknowledged before this call is in the CDC log, or throws a read timeout. */
    static void awaitAcknowledgedWrites()
    {
        LogReadBarrier barrier = installed;
        if (barrier == null)
            throw new IllegalStateException("The CDC emulation is not running yet");
        long began = System.nanoTime();
        boolean covered = barrier.awaitCovered(CommitLog.instance.getCurrentPosition(), barrier.timeoutMillis);
        barrier.status.logReadWaited(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began), covered);
        if (!covered)
            throw new ReadTimeoutException(ConsistencyLevel.ONE, 0, 1, false);
    }

    /** The emulator finished a pass that began at {@code passStart} and processed everything durable it found. */
    synchronized void passCovered(CommitLogPosition passStart)
    {
        if (passStart.compareTo(covered) > 0)
        {
            covered = passStart;
            notifyAll();
        }
    }

    /** @return whether every write before {@code target} was logged within {@code timeoutMillis} */
    synchronized boolean awaitCovered(CommitLogPosition target, long timeoutMillis)
    {
        if (covered.compareTo(target) >= 0)
            return true;
        wakeEmulator.run();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (covered.compareTo(target) < 0)
        {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0)
                return false;
            try
            {
                wait(left);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
