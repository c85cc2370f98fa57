package dev.scyllaes.local;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.cassandra.db.commitlog.CommitLog;
import org.apache.cassandra.db.commitlog.CommitLogPosition;

/**
 * Runs the tailer's passes on a thread of its own: one every poll interval, or at once when a log read is waiting
 * for one. A pass that processed everything it found tells the barrier where it began.
 */
final class TailerLoop
{
    private final SegmentTailer tailer;
    private final long pollMillis;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile LogReadBarrier barrier;
    private volatile boolean stopping;

    TailerLoop(SegmentTailer tailer, long pollMillis)
    {
        this.tailer = tailer;
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::run, "cdc-emulator");
    }

    void start(LogReadBarrier barrier)
    {
        this.barrier = barrier;
        thread.start();
    }

    /** Starts the next pass now instead of after the poll interval. */
    void wake()
    {
        wake.release();
    }

    /** Lets the pass in progress finish; @return false if it did not within the timeout. */
    boolean stop(long timeoutMillis) throws InterruptedException
    {
        stopping = true;
        wake();
        thread.join(timeoutMillis);
        tailer.stop();
        return !thread.isAlive();
    }

    private void run()
    {
        while (!stopping)
        {
            CommitLogPosition passStart = CommitLog.instance.getCurrentPosition();
            if (tailer.poll(passStart))
                barrier.passCovered(passStart);
            try
            {
                if (wake.tryAcquire(pollMillis, TimeUnit.MILLISECONDS))
                    wake.drainPermits();
            }
            catch (InterruptedException e)
            {
                return;
            }
        }
    }
}
