package io.rollingmigration.connect.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.StoredOffsetContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A party aggregate keyed by the customer's e-mail address, which the legacy row can change: the pipeline then
 * writes a new target row and must delete the old one. Incremental runs under the hash pushdown look every changed
 * key up, so an old row the pipeline left behind is found although it was not applied since the last run.
 */
class TargetKeyFromAChangeableColumnTest {

    private static final String SPEC = String.join(
            "\n",
            "name: party-spec",
            "version: 1",
            "source: public.customer",
            "aggregates:",
            "  party:",
            "    key:",
            "      field: party_id",
            "      uuid5: {namespace: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, columns: [email]}",
            "    fields:",
            "      name: full_name",
            "      email: email");
    private static final AggregateTranslator PARTY = SpecCompiler.compile(SPEC, "party");
    private static final String T0 = "2026-01-01 10:00:00";
    private static final String T1 = "2026-02-01 10:00:00";

    private static PostgresFixture postgres;
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private ReconcileSourceTask task;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void alignedCustomersAndParties() {
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP TABLE IF EXISTS customer",
                "CREATE TABLE customer ("
                        + "customer_id text PRIMARY KEY, email text NOT NULL, full_name text, updated_at timestamp(3) NOT NULL)");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS party",
                "CREATE TABLE party (party_id text "
                        + "PRIMARY KEY, name text, email text, lineage_source_key text COLLATE \"C\", lineage_source_table text, "
                        + "lineage_source_committed_at timestamptz, lineage_applied_at timestamptz, lineage_deleted_at "
                        + "timestamptz)");
        for (String[] customer : new String[][] {
            {"C-1", "ann@example.com", "Ann"}, {"C-2", "bob@example.com", "Bob"}, {"C-3", "eve@example.com", "Eve"}
        }) {
            postgres.execute(
                    PostgresFixture.LEGACY,
                    "INSERT INTO customer VALUES ('" + customer[0] + "', '" + customer[1] + "', '" + customer[2]
                            + "', '" + T0 + "')");
            postgres.execute(PostgresFixture.TARGET, applied(customer[0], customer[1], customer[2], T0));
        }
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void anIncrementalRunFindsTheRowLeftUnderTheOldKeyOfAChangedAddress() throws Exception {
        task = new ReconcileSourceTask(now::get, (c, aggregate) -> new OpenDriftSet());
        task.initialize(new StoredOffsetContext(null));
        task.start(config());
        assertEquals(List.of(), drift(run()));

        // Bob's new address came across as a new party; the pipeline did not delete the party of the old one.
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE customer SET email = 'robert@example.com', updated_at = '" + T1
                        + "' WHERE customer_id = 'C-2'");
        postgres.execute(PostgresFixture.TARGET, applied("C-2", "robert@example.com", "Bob", T1));
        now.addAndGet(60_000);
        List<SourceRecord> second = run();

        assertEquals("incremental", summary(second).getString("mode"));
        assertEquals(
                List.of("UNEXPECTED_IN_TARGET " + PARTY.targetId(Map.of("email", "bob@example.com"))), drift(second));
    }

    private Map<String, String> config() {
        Map<String, String> config = PolicyTables.settings(postgres);
        config.put("legacy.table", "customer");
        config.put("target.table", "public.party");
        config.put("mapping.spec", SPEC);
        config.put("hash.pushdown", "true");
        config.put("mode", "incremental");
        config.put("legacy.change.column", "updated_at");
        config.put("incremental.overlap.ms", "0");
        config.put("recheck.delay.ms", "0");
        config.put("recheck.max.wait.ms", "1000");
        config.put("retry.backoff.ms", "0");
        return config;
    }

    /** The party row the pipeline writes for a customer state, with its lineage. */
    private static String applied(String customerId, String email, String name, String at) {
        return "INSERT INTO party VALUES ('" + PARTY.targetId(Map.of("email", email)) + "', '" + name + "', '" + email
                + "', '" + SourceKey.of(Map.of("customer_id", customerId)) + "', 'public.customer', '" + at + "+00', '"
                + at + "+00', NULL)";
    }

    private List<SourceRecord> run() throws InterruptedException {
        return TaskRuns.untilFinalSummary(task, 200, () -> now.addAndGet(50));
    }

    private static Struct summary(List<SourceRecord> records) {
        return (Struct) records.get(records.size() - 1).value();
    }

    /** Each open drift as its kind and target key. */
    private static List<String> drift(List<SourceRecord> records) {
        return records.stream()
                .filter(r -> r.topic().equals("drift") && r.value() != null)
                .map(r -> ((Struct) r.value()).getString("kind") + " " + ((Struct) r.key()).getString("target_key"))
                .sorted()
                .toList();
    }
}
