package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.HashMap;
import java.util.Map;

/**
 * A legacy policy table and the target table our pipeline fills from it, with the lineage columns the sink
 * writes, plus the mapping spec between them. {@link #targetId} and the SQL below play the pipeline's part.
 */
public final class PolicyTables {

    public static final String SPEC = String.join(
            "\n",
            "name: policy-spec",
            "version: 3",
            "source: public.policy",
            "aggregates:",
            "  policy:",
            "    key:",
            "      field: policy_id",
            "      uuid5: {namespace: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, columns: [policy_no]}",
            "    fields:",
            "      status: {from: status_code, map: {A: ACTIVE, L: LAPSED}, unmapped: error}",
            "      premium: {type: decimal(2), expr: \"decimal(after.premium_cents) / decimal(100)\"}",
            "      holder: holder_name",
            "      updated_at: {type: timestamp, from: updated_at}");

    /** A reconciler's settings for these tables in the fixture's legacy and target databases. */
    public static Map<String, String> settings(PostgresFixture postgres) {
        Map<String, String> settings = new HashMap<>(postgres.connectionSettings("legacy.", PostgresFixture.LEGACY));
        settings.putAll(postgres.connectionSettings("target.", PostgresFixture.TARGET));
        settings.put("legacy.table", "policy");
        settings.put("target.table", "public.policy");
        settings.put("mapping.spec", SPEC);
        settings.put("drift.topic", "drift");
        settings.put("drift.state.bootstrap.servers", "unused:9092");
        return settings;
    }

    public static final AggregateTranslator TRANSLATOR = SpecCompiler.compile(SPEC, "policy");

    public static final String LEGACY_DDL = "CREATE TABLE policy (policy_no text PRIMARY KEY, status_code text, "
            + "premium_cents bigint, holder_name text, updated_at timestamp(3) NOT NULL)";

    public static final String TARGET_DDL = "CREATE TABLE policy (policy_id text PRIMARY KEY, status text, "
            + "premium numeric(12,2), holder text, updated_at timestamp(3), lineage_source_key text, "
            + "lineage_source_table text, lineage_source_committed_at timestamptz, lineage_applied_at timestamptz, "
            + "lineage_deleted_at timestamptz)";

    /**
     * Copies legacy rows into the target as the pipeline would (the legacy database and the target live in one
     * PostgreSQL cluster, so dblink is not needed: the caller passes the rows).
     */
    public static String upsert(String policyNo, String status, long premiumCents, String holder, String updatedAt) {
        String id = targetId(policyNo);
        String mapped = "A".equals(status) ? "ACTIVE" : "L".equals(status) ? "LAPSED" : null;
        return "INSERT INTO policy VALUES ('" + id + "', " + (mapped == null ? "NULL" : "'" + mapped + "'") + ", "
                + (premiumCents / 100.0) + ", " + (holder == null ? "NULL" : "'" + holder.replace("'", "''") + "'")
                + ", '" + updatedAt + "', '" + sourceKey(policyNo).replace("'", "''") + "', 'public.policy', '"
                + updatedAt + "+00', '" + updatedAt
                + "+00', NULL) ON CONFLICT (policy_id) DO UPDATE SET status = EXCLUDED.status, "
                + "premium = EXCLUDED.premium, holder = EXCLUDED.holder, updated_at = EXCLUDED.updated_at, "
                + "lineage_source_committed_at = EXCLUDED.lineage_source_committed_at, "
                + "lineage_applied_at = EXCLUDED.lineage_applied_at, lineage_deleted_at = NULL";
    }

    /** Fresh legacy and target policy tables holding the same {@code policies} rows, as the pipeline left them. */
    public static void inLine(PostgresFixture postgres, int policies, String updatedAt) {
        postgres.execute(PostgresFixture.LEGACY, "DROP TABLE IF EXISTS policy", LEGACY_DDL);
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS policy", TARGET_DDL);
        for (int i = 1; i <= policies; i++) {
            postgres.execute(PostgresFixture.LEGACY, legacyInsert("P-" + i, "A", 1000L * i, "Holder " + i, updatedAt));
            postgres.execute(PostgresFixture.TARGET, upsert("P-" + i, "A", 1000L * i, "Holder " + i, updatedAt));
        }
    }

    public static String legacyInsert(
            String policyNo, String status, long premiumCents, String holder, String updatedAt) {
        return "INSERT INTO policy VALUES ('" + policyNo.replace("'", "''") + "', '" + status + "', " + premiumCents
                + ", " + (holder == null ? "NULL" : "'" + holder.replace("'", "''") + "'") + ", '" + updatedAt + "')";
    }

    public static String targetId(String policyNo) {
        return TRANSLATOR.targetId(Map.of("policy_no", policyNo));
    }

    public static String sourceKey(String policyNo) {
        return SourceKey.of(Map.of("policy_no", policyNo));
    }

    private PolicyTables() {}
}
