package dev.scyllaes.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The emulator's position, kept in one small text file under the data directory so a restarted emulator resumes
 * where it stopped. Written to a temporary file, then renamed over the old one: a crash leaves either the old or the
 * new position, never a torn one. Only a position that finishes a segment is fsynced first, because the segment is
 * deleted next; an older position within a segment only makes a restarted emulator read again what it already
 * logged, which rewrites the same log rows.
 */
final class PositionFile
{
    private final Path file;

    PositionFile(Path file)
    {
        this.file = file;
    }

    Position load() throws IOException
    {
        if (!Files.exists(file))
            return Position.START;
        String[] fields = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
        return new Position(Long.parseLong(fields[0]), Integer.parseInt(fields[1]), Boolean.parseBoolean(fields[2]));
    }

    void save(Position position) throws IOException
    {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] text = String.format("%d %d %b%n", position.segmentId(), position.offset(), position.segmentDone())
                            .getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                                    StandardOpenOption.TRUNCATE_EXISTING))
        {
            channel.write(ByteBuffer.wrap(text));
            if (position.segmentDone())
                channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
