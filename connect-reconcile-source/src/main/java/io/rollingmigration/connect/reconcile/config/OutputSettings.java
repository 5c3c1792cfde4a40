package io.rollingmigration.connect.reconcile.config;

import static io.rollingmigration.connect.reconcile.ReconcileConfig.*;

import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.common.drift.SeverityPolicy;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** The reconciler's "Output" settings: where drift goes, how it is graded and what of it is masked. */
public final class OutputSettings {

    private static final String GROUP = "Output";

    private OutputSettings() {}

    public static void define(ConfigDef def) {
        int order = 0;
        def.define(
                        AGGREGATE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The name drift records are keyed by. Empty: the spec's aggregate, else the target table's "
                                + "name.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Aggregate")
                .define(
                        DRIFT_TOPIC,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "Topic of open drift, keyed by aggregate and target key; a key that comes back into "
                                + "line gets a tombstone. Make it compacted: it is then the live set of open drift.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Drift topic")
                .define(
                        SUMMARY_TOPIC,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "Topic of run summaries: progress while a run proceeds, figures when it ends. Empty: the "
                                + "drift topic's name followed by '.summary'.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Summary topic")
                .define(
                        SEVERITY_KINDS,
                        ConfigDef.Type.LIST,
                        SeverityPolicy.DEFAULT_KINDS,
                        SeverityPolicy.VALIDATOR,
                        ConfigDef.Importance.LOW,
                        "Severity per drift kind, as KIND:SEVERITY pairs; severities are "
                                + Arrays.toString(Severity.values()) + ".",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Severity per kind")
                .define(
                        SEVERITY_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        SeverityPolicy.VALIDATOR,
                        ConfigDef.Importance.LOW,
                        "Severity of a mismatch per field, as field:SEVERITY pairs; a FIELD_MISMATCH takes the "
                                + "highest severity of its differing fields and of its kind.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Severity per field")
                .define(
                        MASK_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.MEDIUM,
                        "Fields holding personal data: drift records say that they differ but show '***' "
                                + "instead of their values.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Masked fields")
                .define(
                        STATE_BOOTSTRAP_SERVERS,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "Kafka bootstrap servers the tasks read the drift topic back from when they start, to "
                                + "know which drift is open and tombstone it once resolved. Settings prefixed "
                                + "with 'drift.state.consumer.' (security, for example) go to that consumer.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Drift state bootstrap servers");
    }
}
