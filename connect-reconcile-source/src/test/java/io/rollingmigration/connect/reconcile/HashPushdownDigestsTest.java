package io.rollingmigration.connect.reconcile;

import static io.rollingmigration.connect.reconcile.PolicyTables.legacyInsert;
import static io.rollingmigration.connect.reconcile.PolicyTables.targetId;
import static io.rollingmigration.connect.reconcile.PolicyTables.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.reconcile.digest.BucketFilter;
import io.rollingmigration.connect.reconcile.digest.Digests;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The digests the hash pushdown computes in SQL on both sides: equal for a target that holds what the pipeline
 * would write, different exactly in the buckets of differing rows, whatever the scale of a decimal.
 */
class HashPushdownDigestsTest {

    private static final String T0 = "2026-01-01 10:00:00";
    private static final int BUCKETS = 1 << 20;
    private static PostgresFixture postgres;
    private PreparedStores stores;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void alignedTables() throws Exception {
        postgres.execute(PostgresFixture.LEGACY, "DROP TABLE IF EXISTS policy", PolicyTables.LEGACY_DDL);
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS policy", PolicyTables.TARGET_DDL);
        String[] holders = {"Ann", "Émile", "健", "O'Brien", "\"quoted\" \\\\ back", "Zoe", "Al"};
        for (int i = 0; i < holders.length; i++) {
            String policyNo = i % 2 == 0 ? "P-" + i : "Pé-" + i;
            String status = i % 3 == 0 ? "L" : "A";
            postgres.execute(PostgresFixture.LEGACY, legacyInsert(policyNo, status, 1000L * i + 5, holders[i], T0));
            postgres.execute(PostgresFixture.TARGET, upsert(policyNo, status, 1000L * i + 5, holders[i], T0));
        }
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private BucketFilter digests() throws Exception {
        Map<String, String> settings = PolicyTables.settings(postgres);
        settings.put("hash.pushdown", "true");
        settings.put("hash.pushdown.buckets", Integer.toString(BUCKETS));
        stores = PreparedStores.open(settings);
        Comparison.Prepared prepared = stores.prepared();
        return Digests.compare(prepared.digests(), prepared.legacy(), prepared.target(), KeyRange.whole());
    }

    @Test
    void aTargetHoldingWhatThePipelineWritesHasTheLegacyDigests() throws Exception {
        // Amounts at another scale are the same amounts.
        postgres.execute(PostgresFixture.TARGET, "ALTER TABLE policy ALTER COLUMN premium TYPE numeric(14,4)");

        BucketFilter differing = digests();

        assertEquals(0, differing.differing());
        assertEquals(7, differing.matchedLegacyRows(0, 1));
        assertEquals(7, differing.matchedTargetRows(0, 1));
    }

    @Test
    void eachDifferingRowMakesItsBucketDiffer() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET premium = premium + 0.01 WHERE policy_id = '" + targetId("P-0") + "'",
                "UPDATE policy SET holder = 'ann' WHERE policy_id = '" + targetId("Pé-1") + "'",
                // A deleted row's marker is no live row; a row the translator rejects matches no target value.
                "UPDATE policy SET lineage_deleted_at = now() WHERE policy_id = '" + targetId("P-2") + "'");
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET status_code = 'X' WHERE policy_no = 'Pé-3'",
                "UPDATE policy SET updated_at = updated_at + interval '1 millisecond' WHERE policy_no = 'P-4'");
        postgres.execute(
                PostgresFixture.TARGET, "UPDATE policy SET status = NULL WHERE policy_id = '" + targetId("Pé-3") + "'");

        BucketFilter differing = digests();

        assertEquals(5, differing.differing(), "a bucket per differing row (one row per bucket here)");
        assertEquals(2, differing.matchedLegacyRows(0, 1));
        assertEquals(
                5,
                differing.largestSideOfDiffering(0, 1),
                "five legacy rows and four live target rows: reading them whole holds the legacy five at once");
    }
}
