package io.rollingmigration.connect.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.status.StatusReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;

/** Status reports as the plugins publish them, held in memory for tests of what the dashboard makes of them. */
final class Reports implements StatusReports {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, StatusBoard.Report> latest = new LinkedHashMap<>();

    /** Publishes a report as a task's publisher would, with its bridge's declared exit criteria. */
    void publish(StatusReport report, long at, long startedAt, ObjectNode exitCriteria) {
        try {
            latest.put(
                    new String(report.key()),
                    new StatusBoard.Report(
                            JSON.readTree(report.value(StatusReport.State.RUNNING, at, 1_000, startedAt, exitCriteria)),
                            at));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<StatusBoard.Report> reports() {
        return new ArrayList<>(latest.values());
    }

    @Override
    public boolean caughtUp() {
        return true;
    }

    /** A cluster whose connectors are the ones reporting. */
    ConnectClusterState cluster() {
        return new ConnectClusterState() {
            @Override
            public Collection<String> connectors() {
                return latest.values().stream()
                        .map(StatusBoard.Report::connector)
                        .distinct()
                        .toList();
            }

            @Override
            public ConnectorHealth connectorHealth(String connName) {
                throw new UnsupportedOperationException("no placement in this test");
            }
        };
    }
}
