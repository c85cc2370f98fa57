package dev.scyllaes.local;

/** ScyllaDB's {@code cdc$operation} codes. Pre-images (0) are not emulated. */
enum Operation
{
    ROW_UPDATE(1),
    ROW_INSERT(2),
    ROW_DELETE(3),
    PARTITION_DELETE(4),
    RANGE_DELETE_START_INCLUSIVE(5),
    RANGE_DELETE_START_EXCLUSIVE(6),
    RANGE_DELETE_END_INCLUSIVE(7),
    RANGE_DELETE_END_EXCLUSIVE(8),
    POST_IMAGE(9);

    final byte code;

    Operation(int code)
    {
        this.code = (byte) code;
    }
}
