package dev.scyllaes.local;

/**
 * How far the emulator got: every CDC mutation of segments before {@code segmentId} is in the log, and of segment
 * {@code segmentId} every mutation ending at or before {@code offset} (the reader's entryLocation), or all of them
 * when {@code segmentDone}.
 */
record Position(long segmentId, int offset, boolean segmentDone)
{
    static final Position START = new Position(Long.MIN_VALUE, 0, true);

    boolean covers(long segment)
    {
        return segment < segmentId || (segment == segmentId && segmentDone);
    }

    /** Where reading {@code segment} resumes: a reader offset only means something within its own segment. */
    int resumeOffset(long segment)
    {
        return segment == segmentId ? offset : 0;
    }
}
