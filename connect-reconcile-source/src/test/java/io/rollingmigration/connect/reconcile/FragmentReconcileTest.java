package io.rollingmigration.connect.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One target row assembled from two legacy tables, a policy header and its premium, each written by its own sink
 * as a fragment: the lineage of a row is that of whichever table wrote it last. Each fragment's reconciler pairs
 * rows by the aggregate's key and compares only its own fields; a missing part is MISSING_FRAGMENT, a part whose
 * legacy row is gone UNEXPECTED_FRAGMENT, and a row in line is in line whoever wrote it last.
 */
class FragmentReconcileTest {

    private static final String NS = "3f6c2b5e-8a41-4d27-9c1e-5b7a0d2e4f10";
    private static final String HEADER_SPEC = String.join(
            "\n",
            "name: policy-header",
            "version: 1",
            "source: public.pol_header",
            "columns: {pol_id: bigint, status: smallint, updated_at: timestamp}",
            "aggregates:",
            "  policy:",
            "    key: {field: policy_id, uuid5: {namespace: " + NS + ", name: \"'policy:' + string(after.pol_id)\"}}",
            "    fields:",
            "      status: {from: status, map: {1: IN_FORCE, 2: CANCELLED}, unmapped: error}");
    private static final String PREMIUM_SPEC = String.join(
            "\n",
            "name: policy-premium",
            "version: 1",
            "source: public.pol_premium",
            "columns: {policy_ref: bigint, premium: 'numeric(12,4)', currency: char(3), updated_at: timestamp}",
            "aggregates:",
            "  policy:",
            "    key: {field: policy_id, uuid5: {namespace: " + NS
                    + ", name: \"'policy:' + string(after.policy_ref)\"}}",
            "    fields:",
            "      annual_premium: {type: decimal(2), expr: \"round(after.premium, 2)\"}",
            "      currency: {expr: \"trim(after.currency)\"}");
    private static final int POLICIES = 40;

    private static PostgresFixture postgres;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    private static String id(long pol) {
        return SpecCompiler.compile(HEADER_SPEC, "policy").targetId(Map.of("pol_id", pol));
    }

    /** Legacy and target in line; even policies last written by the premium's sink, odd ones by the header's. */
    @BeforeEach
    void inLine() {
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP TABLE IF EXISTS pol_header",
                "DROP TABLE IF EXISTS pol_premium",
                "CREATE TABLE pol_header (pol_id bigint PRIMARY KEY, status smallint, updated_at timestamp(3))",
                "CREATE TABLE pol_premium (policy_ref bigint PRIMARY KEY, premium numeric(12,4), currency char(3), "
                        + "updated_at timestamp(3))",
                "INSERT INTO pol_header SELECT g, 1, '2026-01-01 10:00' FROM generate_series(1, " + POLICIES + ") g",
                // Policy 1 has no premium yet: its target row has no premium part, and that is in line.
                "INSERT INTO pol_premium SELECT g, 100 + g * 0.0125, 'EUR', '2026-01-01 10:00' "
                        + "FROM generate_series(2, " + POLICIES + ") g");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS policy_fragments",
                "CREATE TABLE policy_fragments (policy_id text PRIMARY KEY, status text, annual_premium numeric(12,2), "
                        + "currency text, header_version bigint, premium_version bigint, lineage_source_table text, "
                        + "lineage_source_key text, lineage_source_committed_at timestamptz, "
                        + "lineage_applied_at timestamptz, lineage_operation text)");
        for (long pol = 1; pol <= POLICIES; pol++) {
            boolean premiumLast = pol % 2 == 0;
            String lineage = premiumLast
                    ? "'public.pol_premium', '{\"policy_ref\":" + pol + "}'"
                    : "'public.pol_header', '{\"pol_id\":" + pol + "}'";
            String premium = pol == 1 ? "NULL, NULL, NULL" : "round(100 + " + pol + " * 0.0125, 2), 'EUR', 7";
            postgres.execute(
                    PostgresFixture.TARGET,
                    "INSERT INTO policy_fragments VALUES ('" + id(pol)
                            + "', 'IN_FORCE', " + premium + ", 5, " + lineage + ", '2026-01-01 10:00+00', "
                            + "'2026-01-01 10:00+00', 'READ')");
        }
    }

    private static Map<String, String> settings(String table, String spec) {
        Map<String, String> settings = new HashMap<>(PolicyTables.settings(postgres));
        settings.put("legacy.table", table);
        settings.put("target.table", "public.policy_fragments");
        settings.put("mapping.spec", spec);
        settings.put("lineage.source.table", "public." + table);
        settings.put("target.fragment", "true");
        settings.put("legacy.change.column", "updated_at");
        return settings;
    }

    /** A whole full run: what it reported, by target key, with the count of keys compared in {@code compared[0]}. */
    private static Map<String, String> fullRun(Map<String, String> settings, long[] compared) throws Exception {
        FullRuns.Outcome outcome = FullRuns.of(settings, 20_000, () -> {});
        compared[0] = outcome.compared();
        return outcome.reported();
    }

    @Test
    void eachFragmentOfRowsInLineIsInLineWhicheverTableWroteTheRowLast() throws Exception {
        long[] compared = new long[1];
        assertEquals(Map.of(), fullRun(settings("pol_premium", PREMIUM_SPEC), compared));
        assertEquals(POLICIES - 1, compared[0], "every premium row compared, none twice");
        assertEquals(Map.of(), fullRun(settings("pol_header", HEADER_SPEC), compared));
        assertEquals(POLICIES, compared[0]);
    }

    @Test
    void aMissingFragmentAndAFragmentWithoutItsLegacyRowAreReportedAsSuch() throws Exception {
        // The premium of policy 6 never reached the target; policy 9's premium was deleted in legacy, the delete
        // never applied, and the header's sink wrote the row since; a premium changed in legacy but not in target.
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy_fragments SET annual_premium = NULL, currency = NULL " + "WHERE policy_id = '" + id(6)
                        + "'");
        postgres.execute(
                PostgresFixture.LEGACY,
                "DELETE FROM pol_premium WHERE policy_ref = 9",
                "UPDATE pol_premium SET premium = 250.005 WHERE policy_ref = 12");

        long[] compared = new long[1];
        Map<String, String> premium = fullRun(settings("pol_premium", PREMIUM_SPEC), compared);

        assertEquals(
                Map.of(
                        id(6),
                        DriftKind.MISSING_FRAGMENT.name(),
                        id(9),
                        DriftKind.UNEXPECTED_FRAGMENT.name(),
                        id(12),
                        DriftKind.FIELD_MISMATCH.name()),
                premium);
        assertEquals(
                Map.of(),
                fullRun(settings("pol_header", HEADER_SPEC), compared),
                "the header's part of those rows is in line");
    }

    @Test
    void aFragmentReconcilerKeysItsDriftApartAndIsRefusedWithoutWhatItNeeds() {
        ReconcileConfig config = new ReconcileConfig(settings("pol_premium", PREMIUM_SPEC));
        assertEquals("policy.pol_premium", config.aggregate("policy"));
        Map<String, String> noLineage = settings("pol_premium", PREMIUM_SPEC);
        noLineage.remove("lineage.source.table");
        List<String> errors = new ArrayList<>();
        for (ConfigValue value :
                new ReconcileSourceConnector().validate(noLineage).configValues()) {
            value.errorMessages().forEach(m -> errors.add(value.name() + ": " + m));
        }
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("lineage.source.table"), errors.toString());
    }
}
