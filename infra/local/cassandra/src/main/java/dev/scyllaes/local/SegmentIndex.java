package dev.scyllaes.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@code CommitLog-<ver>-<id>_cdc.idx} file: the segment's durable offset as decimal text, then a line
 * {@code COMPLETED} once Cassandra closed the segment. Cassandra rewrites it without fsync, so an empty or
 * unparsable file means "look again later", never "nothing there".
 *
 * @param offset    bytes of the segment known to be on disk
 * @param completed Cassandra will write no more to the segment
 */
record SegmentIndex(int offset, boolean completed)
{
    static Optional<SegmentIndex> read(Path file) throws IOException
    {
        List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        }
        catch (NoSuchFileException e)
        {
            return Optional.empty();
        }
        if (lines.isEmpty())
            return Optional.empty();
        try
        {
            int offset = Integer.parseInt(lines.get(0).trim());
            boolean completed = lines.stream().skip(1).anyMatch(line -> line.trim().equals("COMPLETED"));
            return Optional.of(new SegmentIndex(offset, completed));
        }
        catch (NumberFormatException e)
        {
            return Optional.empty();
        }
    }
}
