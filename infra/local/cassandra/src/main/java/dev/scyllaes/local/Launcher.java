package dev.scyllaes.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.service.CassandraDaemon;

/**
 * Entry point of the local ScyllaDB stand-in: a stock Cassandra node plus the ScyllaDB CDC emulation in the same JVM.
 * Same JVM because the emulator needs the live schema, Cassandra's own commit-log reader and local (internal) writes,
 * including CREATE TABLE in system_distributed, which external clients are refused.
 */
public final class Launcher
{
    private static final Logger logger = LoggerFactory.getLogger(Launcher.class);

    private Launcher()
    {
    }

    public static void main(String[] args)
    {
        // Log reads wait for the log rows of earlier writes (LogReadQueryHandler), and clients are let in only once the
        // emulator has logged what the node replayed at start-up: CdcEmulator starts the native transport itself.
        System.setProperty("cassandra.custom_query_handler_class", LogReadQueryHandler.class.getName());
        System.setProperty("cassandra.start_native_transport", "false");
        // Returns after Cassandra logged "Startup complete"; on a start-up failure Cassandra exits the JVM itself.
        CassandraDaemon.main(args);
        try
        {
            CdcEmulator.start(EmulatorConfig.load());
        }
        catch (Exception e)
        {
            // A node without its CDC log would silently break every consumer: better not to run at all.
            logger.error("The CDC emulator could not start; stopping the node", e);
            System.exit(1);
        }
    }
}
