package io.rollingmigration.benchmarks.reconcile;

import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.Locale;
import java.util.Map;

/**
 * A legacy policy table and the target table the pipeline would have filled from it (as streamed changes, so the
 * target's applied position is known to the reconciler), generated in SQL on both sides (the target's UUIDv5 keys with uuid-ossp, checked against our translator), then a planted set of
 * differences: a quarter of 0.1% of the rows for each drift kind.
 */
final class PolicyData {

    static final String NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
    static final String SPEC = String.join(
            "\n",
            "name: policy-bench",
            "version: 1",
            "source: public.policy",
            "aggregates:",
            "  policy:",
            "    key: {field: policy_id, uuid5: {namespace: " + NAMESPACE + ", columns: [id]}}",
            "    fields:",
            "      status: {from: status_code, map: {A: ACTIVE, L: LAPSED, C: CANCELLED}, unmapped: error}",
            "      premium: {type: decimal(2), expr: \"decimal(after.premium_cents) / decimal(100)\"}",
            "      holder: holder_name",
            "      email: email",
            "      region: region",
            "      updated_at: {type: timestamp, from: updated_at}");
    /** Planted differences: one row in every this many, per kind. */
    private static final int EVERY = 4000;

    private final PostgresFixture postgres;

    PolicyData(PostgresFixture postgres) {
        this.postgres = postgres;
    }

    void create(int rows) {
        long started = System.nanoTime();
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP TABLE IF EXISTS policy",
                "CREATE TABLE policy (id bigint PRIMARY KEY, status_code text, premium_cents bigint, "
                        + "holder_name text, email text, region text, updated_at timestamp(3) NOT NULL)",
                "INSERT INTO policy SELECT g, (ARRAY['A','L','C'])[1 + g % 3], (g * 7919) % 100000, 'Holder ' || g, "
                        + "'holder' || g || '@example.com', (ARRAY['north','south','east','west'])[1 + g % 4], "
                        + "timestamp '2026-01-01' + g * interval '1 second' FROM generate_series(1::bigint, " + rows
                        + ") g",
                "CREATE INDEX policy_updated_at ON policy (updated_at)",
                "VACUUM ANALYZE policy");
        postgres.execute(
                PostgresFixture.TARGET,
                "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"",
                "DROP TABLE IF EXISTS policy",
                "CREATE TABLE policy (policy_id text PRIMARY KEY, status text, premium numeric(12,2), holder text, "
                        + "email text, region text, updated_at timestamp(3), lineage_source_system text, "
                        + "lineage_source_table text, lineage_source_key text COLLATE \"C\", lineage_source_position bigint, "
                        + "lineage_source_committed_at timestamptz, lineage_operation text, lineage_snapshot text, "
                        + "lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz)",
                "INSERT INTO policy SELECT uuid_generate_v5('" + NAMESPACE + "', '{\"id\":' || g || '}')::text, "
                        + "(ARRAY['ACTIVE','LAPSED','CANCELLED'])[1 + g % 3], ((g * 7919) % 100000) / 100.0, "
                        + "'Holder ' || g, 'holder' || g || '@example.com', "
                        + "(ARRAY['north','south','east','west'])[1 + g % 4], "
                        + "timestamp '2026-01-01' + g * interval '1 second', 'legacy', 'public.policy', "
                        + "'{\"id\":' || g || '}', g, (timestamp '2026-01-01' + g * interval '1 second') "
                        + "AT TIME ZONE 'UTC', 'CREATE', 'false', 'policy-bench@1', now(), "
                        + "(timestamp '2026-01-01' + g * interval '1 second') AT TIME ZONE 'UTC', NULL "
                        + "FROM generate_series(1::bigint, " + rows + ") g",
                "CREATE INDEX policy_lineage_source_key ON policy (lineage_source_key)",
                "CREATE INDEX policy_lineage_applied_at ON policy (lineage_applied_at)",
                "VACUUM ANALYZE policy");
        String expected = SpecCompiler.compile(SPEC, "policy").targetId(Map.of("id", 1L));
        Object generated = postgres.query(
                        PostgresFixture.TARGET, "SELECT policy_id FROM policy WHERE lineage_source_key = '{\"id\":1}'")
                .get(0)
                .get(0);
        if (!expected.equals(generated)) {
            throw new IllegalStateException("uuid-ossp's UUIDv5 " + generated + " differs from ours " + expected);
        }
        ReconcileBenchmark.say(String.format(
                Locale.ROOT,
                "created %,d legacy and target rows in %.1f s",
                rows,
                (System.nanoTime() - started) / 1e9));
    }

    /** Plants the differences and returns them by legacy key. */
    Planted plant(int rows) {
        String every = " % " + EVERY + " = ";
        postgres.execute(
                PostgresFixture.TARGET,
                "DELETE FROM policy WHERE lineage_source_position" + every + "1",
                "UPDATE policy SET premium = premium + 1 WHERE lineage_source_position" + every + "3");
        postgres.execute(
                PostgresFixture.LEGACY,
                "DELETE FROM policy WHERE id" + every + "2",
                "UPDATE policy SET status_code = 'X' WHERE id" + every + "4");
        Planted planted = new Planted();
        for (long id = 1; id <= rows; id++) {
            switch ((int) (id % EVERY)) {
                case 1 -> planted.put(id, "MISSING_IN_TARGET");
                case 2 -> planted.put(id, "UNEXPECTED_IN_TARGET");
                case 3 -> planted.put(id, "FIELD_MISMATCH");
                case 4 -> planted.put(id, "RULE_VIOLATION");
                default -> {}
            }
        }
        ReconcileBenchmark.say("planted " + planted.size() + " differences");
        return planted;
    }

    /** Changes 1% of the rows in legacy, and delivers the changes to the target as the pipeline would. */
    void changeOnePercent(int rows) {
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET premium_cents = premium_cents + 7, "
                        + "updated_at = timestamp '2026-06-01' WHERE id % 100 = 5");
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET premium = premium + 0.07, "
                        + "updated_at = timestamp '2026-06-01', lineage_source_committed_at = timestamptz '2026-06-01 00:00Z', "
                        + "lineage_applied_at = now() WHERE lineage_source_position % 100 = 5");
        ReconcileBenchmark.say(String.format(Locale.ROOT, "changed %,d rows (1%%)", rows / 100));
    }
}
