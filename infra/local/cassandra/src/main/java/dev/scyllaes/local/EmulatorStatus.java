package dev.scyllaes.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the admin endpoint reports about the tailer: its position, whether it is keeping up, and the last problem.
 * Written by the tailer thread, read by the HTTP thread.
 */
final class EmulatorStatus
{
    // A pass runs every poll interval; a much older last pass means the tailer thread is stuck or dead.
    private static final long STALE_AFTER_MILLIS = 10_000;

    private volatile Position position = Position.START;
    private volatile long lastPassMillis;
    private volatile long lastWriteMicros;
    private volatile long lastProcessedMillis;
    private volatile int pendingSegments;
    private volatile boolean caughtUp;
    private volatile long logRowsWritten;
    private volatile String lastError;
    private final RecentDurations logReadWaits = new RecentDurations(4096);
    private final RecentDurations passes = new RecentDurations(1024);
    private final AtomicLong logReadTimeouts = new AtomicLong();

    /** A pass found new durable data: until it ends, the emulator is behind (a long catch-up pass takes seconds). */
    void catchingUp()
    {
        caughtUp = false;
    }

    void passFinished(Position position, int pendingSegments, boolean caughtUp, long durationMicros)
    {
        passes.record(durationMicros);
        this.position = position;
        this.pendingSegments = pendingSegments;
        this.caughtUp = caughtUp;
        this.lastPassMillis = System.currentTimeMillis();
        this.lastError = null;
    }

    void passFailed(Exception error)
    {
        this.lastPassMillis = System.currentTimeMillis();
        this.caughtUp = false;
        this.lastError = error.toString();
    }

    void processed(long writeMicros, int logRows)
    {
        lastWriteMicros = Math.max(lastWriteMicros, writeMicros);
        lastProcessedMillis = System.currentTimeMillis();
        logRowsWritten += logRows;
    }

    /** A read of a log table waited {@code micros} for the log rows of earlier writes; {@code served} false: it gave up. */
    void logReadWaited(long micros, boolean served)
    {
        logReadWaits.record(micros);
        if (!served)
            logReadTimeouts.incrementAndGet();
    }

    boolean healthy()
    {
        return lastError == null && System.currentTimeMillis() - lastPassMillis < STALE_AFTER_MILLIS;
    }

    Map<String, Object> toMap()
    {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("healthy", healthy());
        status.put("segmentId", position.segmentId());
        status.put("segmentOffset", position.offset());
        status.put("segmentDone", position.segmentDone());
        status.put("pendingSegments", pendingSegments);
        status.put("caughtUp", caughtUp);
        status.put("lastPassMillis", lastPassMillis);
        status.put("lastProcessedMillis", lastProcessedMillis);
        status.put("lastWriteMicros", lastWriteMicros);
        // Time between the newest processed base write and its processing: the emulation's delay at that moment.
        status.put("lastLagMillis", lastWriteMicros == 0 ? 0 : Math.max(0, lastProcessedMillis - lastWriteMicros / 1000));
        status.put("logRowsWritten", logRowsWritten);
        status.put("lastError", lastError);
        // What the emulation costs a reader: how long reads of log tables waited for the rows of earlier writes.
        status.put("passP50Millis", passes.percentileMillis(0.5));
        status.put("passP99Millis", passes.percentileMillis(0.99));
        status.put("logReads", logReadWaits.count());
        status.put("logReadWaitP50Millis", logReadWaits.percentileMillis(0.5));
        status.put("logReadWaitP99Millis", logReadWaits.percentileMillis(0.99));
        status.put("logReadWaitMaxMillis", logReadWaits.percentileMillis(1)); // of the last 4096 reads
        status.put("logReadTimeouts", logReadTimeouts.get());
        return status;
    }
}
