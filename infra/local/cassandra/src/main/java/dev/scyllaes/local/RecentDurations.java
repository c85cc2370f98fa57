package dev.scyllaes.local;

import java.util.Arrays;

/** The last durations of something, for percentiles in the admin status. Thread-safe. */
final class RecentDurations
{
    private final long[] micros;
    private long recorded;

    RecentDurations(int capacity)
    {
        this.micros = new long[capacity];
    }

    synchronized void record(long durationMicros)
    {
        micros[(int) (recorded++ % micros.length)] = durationMicros;
    }

    synchronized long count()
    {
        return recorded;
    }

    /** The {@code fraction} percentile (0..1) of the recent durations, in milliseconds; 0 when none were recorded. */
    synchronized double percentileMillis(double fraction)
    {
        int size = (int) Math.min(recorded, micros.length);
        if (size == 0)
            return 0;
        long[] sorted = Arrays.copyOf(micros, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.ceil(fraction * size) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
