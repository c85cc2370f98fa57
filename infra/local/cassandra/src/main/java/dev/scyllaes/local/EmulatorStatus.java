package dev.scyllaes.local;

import java.util.LinkedHashMap;
import java.util.Map;

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

    /** A pass found new durable data: until it ends, the emulator is behind (a long catch-up pass takes seconds). */
    void catchingUp()
    {
        caughtUp = false;
    }

    void passFinished(Position position, int pendingSegments, boolean caughtUp)
    {
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
        return status;
    }
}
