package dev.scyllaes.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.config.DatabaseDescriptor;
import org.apache.cassandra.schema.Schema;
import org.apache.cassandra.service.StorageService;

/**
 * Wires the ScyllaDB CDC emulation into the running node: generations, log tables (now and on every schema change),
 * the cdc_raw tailer on a thread of its own, and the admin endpoint. It stops before Cassandra drains, so no log row
 * is written into a commit log that is shutting down; whatever was not processed is read again at the next start.
 */
final class CdcEmulator
{
    private static final Logger logger = LoggerFactory.getLogger(CdcEmulator.class);

    private CdcEmulator()
    {
    }

    static void start(EmulatorConfig config) throws IOException
    {
        if (!DatabaseDescriptor.isCDCEnabled())
            throw new IllegalStateException("cdc_enabled must be true in cassandra.yaml for the CDC emulation");
        Generations generations = Generations.open(new GenerationStore(config.metadataKeyspace()), config.shards());

        LogTables logTables = new LogTables();
        Schema.instance.registerListener(logTables);
        logTables.ensureAll();

        Path cdcRaw = Path.of(DatabaseDescriptor.getCDCLogLocation());
        EmulatorStatus status = new EmulatorStatus();
        SegmentTailer tailer = new SegmentTailer(cdcRaw, new PositionFile(cdcRaw.resolveSibling("cdc_emulator").resolve("position")),
                                                 new ChangeWriter(generations, logTables), status);
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "cdc-emulator"));
        loop.scheduleWithFixedDelay(tailer::poll, 0, config.pollMillis(), TimeUnit.MILLISECONDS);

        AdminServer admin = AdminServer.start(config.adminPort(), generations, status);
        StorageService.instance.addPreShutdownHook(() -> stop(loop, admin));
        logger.info("CDC emulator running: metadata keyspace {}, {} shards, polling cdc_raw every {} ms",
                    config.metadataKeyspace(), config.shards(), config.pollMillis());
    }

    private static void stop(ScheduledExecutorService loop, AdminServer admin)
    {
        admin.stop();
        loop.shutdown();
        try
        {
            if (!loop.awaitTermination(30, TimeUnit.SECONDS))
                logger.warn("The CDC emulator did not finish its pass in time");
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        logger.info("CDC emulator stopped");
    }
}
