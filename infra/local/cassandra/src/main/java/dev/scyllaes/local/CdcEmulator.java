package dev.scyllaes.local;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.config.DatabaseDescriptor;
import org.apache.cassandra.db.commitlog.CommitLog;
import org.apache.cassandra.schema.Schema;
import org.apache.cassandra.service.StorageService;

/**
 * Wires the ScyllaDB CDC emulation into the running node: generations, log tables (now and on every schema change),
 * the cdc_raw tailer on a thread of its own, the barrier that makes log reads read-your-writes, and the admin
 * endpoint. Clients are let in (native transport) only once every write the node replayed from its commit log at
 * start-up is logged. The emulation stops before Cassandra drains, so no log row is written into a commit log that is
 * shutting down; whatever was not processed is read again at the next start.
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
        TailerLoop loop = new TailerLoop(tailer, config.pollMillis());
        LogReadBarrier barrier = LogReadBarrier.install(config.logReadTimeoutMillis(), loop::wake, status);
        loop.start(barrier);

        AdminServer admin = AdminServer.start(config.adminPort(), generations, status);
        StorageService.instance.addPreShutdownHook(() -> stop(loop, admin));
        logger.info("CDC emulator running: metadata keyspace {}, {} shards, polling cdc_raw every {} ms, commit log sync {}",
                    config.metadataKeyspace(), config.shards(), config.pollMillis(), DatabaseDescriptor.getCommitLogSync());

        if (!barrier.awaitCovered(CommitLog.instance.getCurrentPosition(), config.startupCatchUpMillis()))
            throw new IllegalStateException("The CDC log did not catch up with the commit log within " + config.startupCatchUpMillis() + " ms");
        StorageService.instance.startNativeTransport();
        logger.info("CDC log caught up with the commit log; clients are let in");
    }

    private static void stop(TailerLoop loop, AdminServer admin)
    {
        admin.stop();
        try
        {
            if (!loop.stop(30_000))
                logger.warn("The CDC emulator did not finish its pass in time");
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        logger.info("CDC emulator stopped");
    }
}
