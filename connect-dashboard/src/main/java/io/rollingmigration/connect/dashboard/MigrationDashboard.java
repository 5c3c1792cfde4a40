package io.rollingmigration.connect.dashboard;

import io.rollingmigration.connect.common.PluginVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration dashboard as a Connect REST extension (KIP-285): loaded by every worker that names it in
 * {@code rest.extension.classes}, it serves {@code /migration/...} next to {@code /connectors}, from the plugins'
 * status topic and the units' control tables, so that any worker shows the whole cluster's migration.
 */
public final class MigrationDashboard implements ConnectRestExtension {

    private static final Logger log = LoggerFactory.getLogger(MigrationDashboard.class);

    private DashboardConfig config;
    private StatusBoard board;
    private ScheduledExecutorService sampler;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public ConfigDef config() {
        return DashboardConfig.definition(List.of());
    }

    @Override
    public void configure(Map<String, ?> workerProperties) {
        config = new DashboardConfig(workerProperties);
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        board = new StatusBoard(config.statusTopic(), config.kafkaClient());
        board.start();
        Map<String, ControlStore> stores = new LinkedHashMap<>();
        for (String unit : config.configuredUnits()) {
            DashboardConfig.Store store = config.storeOf(unit);
            stores.computeIfAbsent(store.name(), name -> new ControlStore(store));
        }
        MigrationState state = new MigrationState(config, board, stores, context.clusterState());
        GuardRails guards = new GuardRails(config.guardBounds());
        History history = new History(config.historySampleMillis());
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "migration-dashboard-history");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(
                () -> {
                    try {
                        long now = System.currentTimeMillis();
                        history.sample(state.units(now), now);
                    } catch (RuntimeException e) {
                        log.debug("History sample failed: {}", e.toString());
                    }
                },
                config.historySampleMillis(),
                config.historySampleMillis(),
                TimeUnit.MILLISECONDS);
        context.configurable()
                .register(new MigrationResource(
                        config, state, guards, history, new ExitCriteria(state, guards), System::currentTimeMillis));
        log.info(
                "Migration dashboard at /migration/ from status topic {}; stores {}{}",
                config.statusTopic(),
                stores.keySet(),
                config.readOnly() ? "; read-only" : "");
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (board != null) {
            board.close();
        }
    }
}
