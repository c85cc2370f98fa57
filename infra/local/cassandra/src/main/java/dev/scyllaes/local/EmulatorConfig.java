package dev.scyllaes.local;

/**
 * Settings of the CDC emulation. Each one is read from a system property, else from an environment variable (the
 * names ctl.sh documents), else it takes its default.
 *
 * @param metadataKeyspace where the generation tables live; ScyllaDB's is system_distributed
 * @param adminPort        port of the admin HTTP endpoint on 127.0.0.1
 * @param shards           emulated shards per vnode: ScyllaDB has one stream per (vnode range, shard)
 * @param pollMillis       pause between two passes over cdc_raw
 * @param logReadTimeoutMillis  how long a read of a CDC log table may wait for the log rows of earlier writes
 * @param startupCatchUpMillis  how long the emulator may take, at start-up, to log what the node replayed from its
 *                              commit log, before it gives up (clients are let in only after it)
 */
record EmulatorConfig(String metadataKeyspace, int adminPort, int shards, long pollMillis, long logReadTimeoutMillis,
                      long startupCatchUpMillis)
{
    static EmulatorConfig load()
    {
        EmulatorConfig config = new EmulatorConfig(setting("scyllaes.cdc.metadata_keyspace", "CDC_METADATA_KEYSPACE", "system_distributed"),
                                                   Integer.parseInt(setting("scyllaes.cdc.admin_port", "CDC_ADMIN_PORT", "9180")),
                                                   Integer.parseInt(setting("scyllaes.cdc.shards", "CDC_SHARDS", "2")),
                                                   Long.parseLong(setting("scyllaes.cdc.poll_ms", "CDC_POLL_MS", "50")),
                                                   Long.parseLong(setting("scyllaes.cdc.log_read_timeout_ms", "CDC_LOG_READ_TIMEOUT_MS", "5000")),
                                                   Long.parseLong(setting("scyllaes.cdc.startup_catch_up_ms", "CDC_STARTUP_CATCH_UP_MS", "600000")));
        if (config.shards < 1 || config.shards > 256)
            throw new IllegalArgumentException("CDC shards must be between 1 and 256, got " + config.shards);
        return config;
    }

    private static String setting(String property, String environmentVariable, String fallback)
    {
        String value = System.getProperty(property);
        if (value == null || value.isBlank())
            value = System.getenv(environmentVariable);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
