package io.rollingmigration.benchmarks.scaleout;

import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.TopicOffsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The backlog every run drains: the legacy policies captured by the stock Debezium connector (a snapshot, then
 * {@value #UPDATE_ROUNDS} rounds of updates of every fourth policy) in a 6-partition topic keyed by policy number.
 */
final class PolicyBacklog {

    static final String TOPIC_PREFIX = "scaleout";
    static final String TOPIC = TOPIC_PREFIX + ".public.policy";
    static final int PARTITIONS = 6;
    static final int UPDATE_ROUNDS = 3;
    private static final String SOURCE = "scaleout-legacy-cdc";
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private final PostgresFixture postgres;
    private final ConnectClusterFixture connect;
    private final InsurerConfigs configs;
    private final int policies;

    PolicyBacklog(PostgresFixture postgres, ConnectClusterFixture connect, InsurerConfigs configs, int policies) {
        this.postgres = postgres;
        this.connect = connect;
        this.configs = configs;
        this.policies = policies;
    }

    int policies() {
        return policies;
    }

    /** Policies whose last legacy write is an update: every fourth. */
    int updatedPolicies() {
        return policies / 4;
    }

    /** Fills the legacy table, captures it and its updates into the topic; returns the number of change events. */
    long capture() throws Exception {
        postgres.createDatabase(InsurerConfigs.LEGACY_DATABASE);
        // The example's legacy policy table (config-examples/insurer/sql/legacy.sql) without its customer reference.
        postgres.execute(
                InsurerConfigs.LEGACY_DATABASE,
                "CREATE TABLE public.policy (policy_no text PRIMARY KEY, "
                        + "customer_id bigint NOT NULL, product_code text NOT NULL, status_code char(1) NOT NULL, "
                        + "effective_date date NOT NULL, expiry_date date, region text NOT NULL, vehicle_vin text, "
                        + "updated_at timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'), cancel_date date)",
                "INSERT INTO public.policy SELECT 'PA-' || lpad(g::text, 7, '0'), g % 5000, 'PAUTO', "
                        + "(ARRAY['Q','A','L','C'])[1 + g % 4], date '2024-01-01' + g % 700, NULL, "
                        + "(ARRAY['NORTH','SOUTH','EAST','WEST'])[1 + g % 4], 'VIN' || g, now() AT TIME ZONE 'UTC' "
                        + "FROM generate_series(1, " + policies + ") g");
        connect.createTopic(TOPIC, PARTITIONS, Map.of());
        try (Admin admin = connect.cluster().kafka().createAdminClient()) {
            connect.rest().putConnector(SOURCE, configs.source(TOPIC_PREFIX));
            connect.rest().awaitRunning(SOURCE, 1, PATIENCE);
            awaitEvents(admin, policies, "the snapshot");
            // Once streaming, Debezium sees every later commit; the snapshot's end is the slot's start.
            for (int round = 1; round <= UPDATE_ROUNDS; round++) {
                postgres.execute(
                        InsurerConfigs.LEGACY_DATABASE,
                        "UPDATE public.policy SET vehicle_vin = 'R" + round
                                + "-' || policy_no, status_code = (ARRAY['Q','A','L','C'])[1 + " + round + " % 4], "
                                + "updated_at = now() AT TIME ZONE 'UTC' WHERE substr(policy_no, 4)::int % 4 = 0");
            }
            long total = policies + (long) UPDATE_ROUNDS * updatedPolicies();
            awaitEvents(admin, total, "the updates");
            // The source has done its job; it must not compete with the runs being measured.
            connect.rest().deleteConnector(SOURCE);
            return TopicOffsets.end(admin, TOPIC);
        }
    }

    /** Target rows that hold their policy's last legacy write (the final VIN of updated policies included). */
    String lastWriteCheck() {
        return "SELECT count(*) FROM public.policy WHERE lineage_deleted_at IS NULL AND vin = CASE WHEN "
                + "substr(policy_number, 4)::int % 4 = 0 THEN 'R" + UPDATE_ROUNDS + "-' || policy_number "
                + "ELSE 'VIN' || substr(policy_number, 4)::int END";
    }

    private void awaitEvents(Admin admin, long count, String what) {
        Await.until(PATIENCE, count + " change events in " + TOPIC + " after " + what, () -> {
            try {
                return TopicOffsets.end(admin, TOPIC) >= count;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
