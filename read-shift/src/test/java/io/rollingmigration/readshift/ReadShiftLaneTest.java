package io.rollingmigration.readshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.PostgresFixture;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A facade of an accounts service, reading through the lane from a real legacy PostgreSQL database and the
 * service's own, with the comparison feed on a real Kafka broker: four regions, one per read mode.
 */
class ReadShiftLaneTest {

    private static final String LEGACY = "readshift_legacy";
    private static final String SERVICE = "readshift_service";
    private static final String COMPARISONS = "reads.accounts";
    private static final int PER_REGION = 40;
    private static final List<String> REGIONS = List.of("NORTH", "SOUTH", "EAST", "WEST");
    private static final Duration REFRESH = Duration.ofMillis(500);
    private static final Duration SECONDARY_TIMEOUT = Duration.ofMillis(1000);

    static final String SPEC = """
            name: accounts
            version: 3
            source: public.acct
            columns: {acct_no: bigint, holder: text, st: char(1), bal: 'numeric(12,2)', rgn: text, opened: date,
                      changed_at: timestamp(6)}
            aggregates:
              account:
                key: {field: account_id, expr: "'A-' + string(after.acct_no)"}
                ownership: region
                fields:
                  holder: {from: holder, masked: true}
                  status: {from: st, map: {O: OPEN, F: FROZEN, C: CLOSED}, unmapped: error}
                  balance: {type: decimal(2), from: bal}
                  region: rgn
                  opened_on: {type: date, from: opened}
            """;

    private static PostgresFixture postgres;
    private static EmbeddedKafkaCluster kafka;
    private static ReadShift lane;
    private static AccountFacade facade;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile String serviceTrouble = "";
    private static final java.util.concurrent.atomic.AtomicLong SERIOUS_DRIFT =
            new java.util.concurrent.atomic.AtomicLong();
    private static final OpenDrift drift = unit -> SERIOUS_DRIFT.get();

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresFixture.shared();
        postgres.createDatabase(LEGACY);
        postgres.createDatabase(SERVICE);
        postgres.execute(
                LEGACY,
                "DROP TABLE IF EXISTS public.acct",
                "CREATE TABLE public.acct (acct_no bigint PRIMARY KEY, holder text NOT NULL, st char(1) NOT NULL, "
                        + "bal numeric(12,2) NOT NULL, rgn text NOT NULL, opened date NOT NULL, "
                        + "changed_at timestamp(6) NOT NULL)",
                "DROP TABLE IF EXISTS public.migration_read_routing");
        postgres.execute(
                SERVICE,
                "DROP TABLE IF EXISTS public.account",
                "CREATE TABLE public.account (account_id text PRIMARY KEY, holder text, status text, "
                        + "balance numeric(12,2), region text, opened_on date, lineage_source_committed_at timestamp)",
                "DROP TABLE IF EXISTS public.migration_read_routing");
        for (int region = 0; region < REGIONS.size(); region++) {
            for (int i = 0; i < PER_REGION; i++) {
                long acct = 1000L * (region + 1) + i;
                // Changed an hour ago: the service has long had it.
                postgres.execute(
                        LEGACY,
                        "INSERT INTO public.acct VALUES (" + acct + ", 'Holder " + acct + "', 'O', " + (acct % 97)
                                + ".25, '" + REGIONS.get(region) + "', date '2024-03-01' + " + i
                                + ", now() AT TIME ZONE 'UTC' - interval '1 hour')");
                postgres.execute(
                        SERVICE,
                        "INSERT INTO public.account VALUES ('A-" + acct + "', 'Holder " + acct + "', 'OPEN', "
                                + (acct % 97) + ".25, '" + REGIONS.get(region) + "', date '2024-03-01' + " + i
                                + ", now() AT TIME ZONE 'UTC' - interval '1 hour')");
            }
        }
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        kafka.createTopic(COMPARISONS, 1);
        kafka.createTopic(COMPARISONS + ".routing", 1);
        // The plan lives beside the ownership table, in the service's store.
        lane = ReadShift.builder()
                .plan(() -> postgres.connect(SERVICE), "public.migration_read_routing")
                .refresh(REFRESH)
                .comparison(ReadComparison.of(
                        SpecCompiler.compile(SPEC, "account"),
                        ComparisonRules.exact()
                                .withChangeColumn("changed_at")
                                .withInFlightWindow(Duration.ofSeconds(30))))
                .feed(KafkaComparisonFeed.to(Map.of("bootstrap.servers", kafka.bootstrapServers()), COMPARISONS))
                .secondaryTimeout(SECONDARY_TIMEOUT)
                .recheckDelay(Duration.ofSeconds(1))
                .countsInterval(Duration.ofMillis(500))
                .openDrift(drift)
                .build();
        facade = new AccountFacade(lane);
    }

    @AfterAll
    static void stop() {
        if (lane != null) {
            lane.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @BeforeEach
    void plan() throws Exception {
        serviceTrouble = "";
        postgres.execute(SERVICE, "DELETE FROM public.migration_read_routing");
        plan("NORTH", "LEGACY", null);
        plan("SOUTH", "SHADOW", null);
        plan("EAST", "CANARY", "30");
        plan("WEST", "TARGET", null);
        lane.plan().refreshNow();
    }

    @Test
    void eachRegionIsAnsweredByTheStoreItsPlanNamesAndShadowedReadsAllMatch() throws Exception {
        String consumer = "portal-" + System.nanoTime();
        Map<String, Map<String, Integer>> answered = new HashMap<>();
        for (int region = 0; region < REGIONS.size(); region++) {
            for (int i = 0; i < PER_REGION; i++) {
                Account account = facade.account(REGIONS.get(region), 1000L * (region + 1) + i, consumer);
                answered.computeIfAbsent(REGIONS.get(region), r -> new HashMap<>())
                        .merge(account.source(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of("legacy", PER_REGION), answered.get("NORTH"));
        assertEquals(Map.of("legacy", PER_REGION), answered.get("SOUTH"));
        assertEquals(Map.of("service", PER_REGION), answered.get("WEST"));
        assertEquals(
                PER_REGION,
                answered.get("EAST").values().stream()
                        .mapToInt(Integer::intValue)
                        .sum());
        assertTrue(answered.get("EAST").getOrDefault("service", 0) > 0, "some of the canary's keys: " + answered);
        assertTrue(answered.get("EAST").getOrDefault("legacy", 0) > 0, "not all of them: " + answered);

        List<JsonNode> compared = comparisons(consumer, 2 * PER_REGION);
        assertEquals(2 * PER_REGION, compared.size(), "every shadowed and canary read, and no other");
        for (JsonNode record : compared) {
            assertEquals("MATCH", record.path("outcome").asText(), record.toString());
            assertTrue(
                    List.of("SOUTH", "EAST").contains(record.path("partition").asText()));
            assertTrue(record.path("legacy_latency_us").asLong() >= 0
                    && record.path("service_latency_us").asLong() >= 0);
            assertEquals("accounts@3", record.path("rule").asText());
        }
        Map<String, Long> byModeAndStore = routing(consumer);
        assertEquals(PER_REGION, byModeAndStore.get("LEGACY/LEGACY"));
        assertEquals(PER_REGION, byModeAndStore.get("SHADOW/LEGACY"));
        assertEquals(PER_REGION, byModeAndStore.get("TARGET/TARGET"));
        assertEquals(
                answered.get("EAST").getOrDefault("service", 0).longValue(),
                byModeAndStore.getOrDefault("CANARY/TARGET", 0L));

        // The figures an operator watches, made from the feed on the broker.
        try (FeedFigures feed = FeedFigures.start(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), COMPARISONS, null, Duration.ofMinutes(15))) {
            ReadShiftFigures.Snapshot figures = Await.value(
                    Duration.ofSeconds(30),
                    "the figures of this test's reads",
                    feed::snapshot,
                    s -> s.routingByConsumer().getOrDefault("account", Map.of()).containsKey(consumer)
                            && s.alignment().getOrDefault("account", Map.of()).containsKey("EAST"));
            // Other tests plant differences in SOUTH; only this one reads EAST.
            assertTrue(figures.alignment().get("account").get("SOUTH").matched() >= PER_REGION);
            assertEquals(100.0, figures.alignment().get("account").get("EAST").alignmentPercent());
            ReadShiftFigures.Routing ofConsumer =
                    figures.routingByConsumer().get("account").get(consumer);
            assertEquals(
                    PER_REGION * 2 + answered.get("EAST").getOrDefault("legacy", 0), ofConsumer.answeredByLegacy());
            assertEquals(PER_REGION + answered.get("EAST").getOrDefault("service", 0), ofConsumer.answeredByService());
            assertTrue(figures.consumersReadingLegacy().get("account").contains(consumer));
        }
    }

    @Test
    void aCanaryOfThirtyPercentAnswersThirtyPercentOfKeysTheSameKeysEveryTimeAndKeepsThemAsItWidens() throws Exception {
        List<Boolean> first = new ArrayList<>();
        for (int key = 0; key < 10_000; key++) {
            first.add(lane.route("account", "EAST", "C-" + key, "canary-check").answeredBy() == Owner.TARGET);
        }
        long service = first.stream().filter(b -> b).count();
        assertTrue(Math.abs(service / 100.0 - 30) <= 3, service + " of 10,000 keys answered by the service");
        for (int key = 0; key < 10_000; key++) {
            assertEquals(
                    first.get(key),
                    lane.route("account", "EAST", "C-" + key, "another-consumer")
                                    .answeredBy()
                            == Owner.TARGET,
                    "key C-" + key + " is answered by the same store on every call");
        }
        plan("EAST", "CANARY", "50");
        lane.plan().refreshNow();
        long widened = 0;
        for (int key = 0; key < 10_000; key++) {
            boolean now =
                    lane.route("account", "EAST", "C-" + key, "canary-check").answeredBy() == Owner.TARGET;
            widened += now ? 1 : 0;
            assertTrue(!first.get(key) || now, "a key the service answered at 30% stays with it at 50%");
        }
        assertTrue(Math.abs(widened / 100.0 - 50) <= 3, widened + " of 10,000 keys at 50%");
    }

    @Test
    void aShadowedReadAnswersFromLegacyWhenTheServiceReadHangsOrFails() throws Exception {
        String consumer = "hang-" + System.nanoTime();
        // The service's table locked by another transaction: its read waits as long as the lock is held.
        try (Connection locker = postgres.connect(SERVICE)) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE public.account IN ACCESS EXCLUSIVE MODE");
            }
            long started = System.nanoTime();
            Account account = facade.account("SOUTH", 2001, consumer);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals("legacy", account.source());
            assertEquals("A-2001", account.id());
            assertTrue(
                    tookMillis < SECONDARY_TIMEOUT.toMillis(),
                    "the request takes the legacy read's time, not the hung one's: " + tookMillis + " ms");
            JsonNode record = comparisons(consumer, 1).get(0);
            assertEquals("SECONDARY_TIMED_OUT", record.path("outcome").asText(), record.toString());
            assertEquals(-1, record.path("service_latency_us").asLong());
            locker.rollback();
        }
        serviceTrouble = "boom";
        Account account = facade.account("SOUTH", 2002, consumer + "-failing");
        assertEquals("legacy", account.source());
        JsonNode failed = comparisons(consumer + "-failing", 1).get(0);
        assertEquals("SECONDARY_FAILED", failed.path("outcome").asText());
        assertTrue(failed.path("message").asText().contains("service unavailable"), failed.toString());
    }

    @Test
    void plantedDifferencesAreMismatchesOnTheirFieldsAndAChangeStillOnItsWayIsNot() throws Exception {
        String consumer = "diff-" + System.nanoTime();
        // Planted in the service store: another status, balance and holder for 2010.
        postgres.execute(
                SERVICE,
                "UPDATE public.account SET status = 'FROZEN', balance = balance + 1, holder = 'Someone Else' "
                        + "WHERE account_id = 'A-2010'");
        // A legacy change the service has not received yet: the row's lineage says it reflects an older commit.
        postgres.execute(
                LEGACY, "UPDATE public.acct SET st = 'C', changed_at = now() AT TIME ZONE 'UTC' WHERE acct_no = 2011");
        // A legacy change and a service row without lineage: young enough to be on its way still.
        postgres.execute(
                SERVICE, "UPDATE public.account SET lineage_source_committed_at = NULL WHERE account_id = 'A-2012'");
        postgres.execute(
                LEGACY,
                "UPDATE public.acct SET bal = bal + 5, changed_at = now() AT TIME ZONE 'UTC' WHERE acct_no = 2012");
        try {
            for (long acct : List.of(2010L, 2011L, 2012L, 2013L)) {
                assertEquals("legacy", facade.account("SOUTH", acct, consumer).source());
            }
            Map<String, JsonNode> byKey = comparisons(consumer, 4).stream()
                    .collect(Collectors.toMap(r -> r.path("key").asText(), r -> r));
            JsonNode planted = byKey.get("2010");
            assertEquals("MISMATCH", planted.path("outcome").asText(), planted.toString());
            Map<String, List<String>> fields = new HashMap<>();
            planted.path("fields")
                    .forEach(f -> fields.put(
                            f.path("name").asText(),
                            List.of(f.path("legacy").asText(), f.path("service").asText())));
            assertEquals(
                    Map.of(
                            "status", List.of("OPEN", "FROZEN"),
                            "balance", List.of("70.25", "71.25"),
                            "holder", List.of("***", "***")),
                    fields,
                    "the differing fields, with both values, personal data masked");
            assertEquals(
                    "IN_FLIGHT",
                    byKey.get("2011").path("outcome").asText(),
                    byKey.get("2011").toString());
            assertEquals(
                    "IN_FLIGHT",
                    byKey.get("2012").path("outcome").asText(),
                    byKey.get("2012").toString());
            assertEquals("MATCH", byKey.get("2013").path("outcome").asText());
        } finally {
            postgres.execute(
                    SERVICE,
                    "UPDATE public.account SET status = 'OPEN', balance = balance - 1, holder = 'Holder 2010' "
                            + "WHERE account_id = 'A-2010'",
                    "UPDATE public.account SET lineage_source_committed_at = now() AT TIME ZONE 'UTC' "
                            + "WHERE account_id = 'A-2012'");
            postgres.execute(
                    LEGACY,
                    "UPDATE public.acct SET st = 'O' WHERE acct_no = 2011",
                    "UPDATE public.acct SET bal = bal - 5 WHERE acct_no = 2012");
        }
    }

    @Test
    void aDifferenceIsReadAgainBeforeItIsAMismatchSoALegacyDeleteOnItsWayIsInFlight() throws Exception {
        String consumer = "delete-" + System.nanoTime();
        String restore = "INSERT INTO public.acct SELECT acct_no, holder, st, bal, rgn, opened, changed_at FROM "
                + "(VALUES (%d, 'Holder %d', 'O', %d.25, 'SOUTH', date '2024-03-01' + %d, "
                + "now() AT TIME ZONE 'UTC' - interval '1 hour')) v(acct_no, holder, st, bal, rgn, opened, changed_at)";
        postgres.execute(LEGACY, "DELETE FROM public.acct WHERE acct_no IN (2030, 2031)");
        try {
            assertEquals(null, facade.account("SOUTH", 2030, consumer), "legacy answers: no such account");
            // Both first reads done and compared (the second look waits a second): now the pipeline delivers the
            // delete of 2030; 2031's never comes.
            assertTrue(lane.drain(Duration.ofSeconds(10)));
            postgres.execute(SERVICE, "DELETE FROM public.account WHERE account_id = 'A-2030'");
            assertEquals(null, facade.account("SOUTH", 2031, consumer));
            Map<String, JsonNode> byKey = comparisons(consumer, 2).stream()
                    .collect(Collectors.toMap(r -> r.path("key").asText(), r -> r));
            assertEquals(
                    "IN_FLIGHT",
                    byKey.get("2030").path("outcome").asText(),
                    byKey.get("2030").toString());
            assertTrue(byKey.get("2030").path("message").asText().contains("matched when read again"));
            assertEquals(
                    "MISMATCH",
                    byKey.get("2031").path("outcome").asText(),
                    byKey.get("2031").toString());
            assertEquals(
                    "UNEXPECTED_IN_TARGET",
                    byKey.get("2031").path("kinds").get(0).asText());
        } finally {
            postgres.execute(LEGACY, String.format(restore, 2030, 2030, 2030 % 97, 30));
            postgres.execute(LEGACY, String.format(restore, 2031, 2031, 2031 % 97, 31));
            postgres.execute(
                    SERVICE,
                    "INSERT INTO public.account VALUES ('A-2030', 'Holder 2030', 'OPEN', " + (2030 % 97) + ".25, "
                            + "'SOUTH', date '2024-03-01' + 30, now() AT TIME ZONE 'UTC' - interval '1 hour')");
        }
    }

    @Test
    void aLegacyValueTheSpecDoesNotKnowIsRecordedAsUntranslatable() throws Exception {
        String consumer = "untranslatable-" + System.nanoTime();
        postgres.execute(LEGACY, "UPDATE public.acct SET st = 'X' WHERE acct_no = 2020");
        try {
            assertEquals("legacy", facade.account("SOUTH", 2020, consumer).source());
            JsonNode record = comparisons(consumer, 1).get(0);
            assertEquals("UNTRANSLATABLE", record.path("outcome").asText(), record.toString());
            assertTrue(record.path("message").asText().contains("status"), record.toString());
        } finally {
            postgres.execute(LEGACY, "UPDATE public.acct SET st = 'O' WHERE acct_no = 2020");
        }
    }

    @Test
    void aPlanChangeIsInForceWithinTheRefreshInterval() throws Exception {
        assertEquals(
                ReadMode.LEGACY, lane.route("account", "NORTH", "1", "refresh").mode());
        long changed = System.nanoTime();
        plan("NORTH", "SHADOW", null);
        Await.until(
                Duration.ofSeconds(10),
                "the plan change to be seen",
                () -> lane.route("account", "NORTH", "1", "refresh").mode() == ReadMode.SHADOW);
        long tookMillis = (System.nanoTime() - changed) / 1_000_000;
        assertTrue(
                tookMillis <= REFRESH.toMillis() + 750,
                "in force " + tookMillis + " ms after the change, with a refresh interval of " + REFRESH.toMillis());
    }

    @Test
    void aRowThatMakesNoSenseIsRefusedWithTheReasonAndTheLastGoodPlanStaysInForce() throws Exception {
        assertEquals(new ReadPlan(ReadMode.CANARY, 30), lane.plan().planOf("account", "EAST"));
        plan("EAST", "HALFWAY", null);
        lane.plan().refreshNow();
        assertEquals(new ReadPlan(ReadMode.CANARY, 30), lane.plan().planOf("account", "EAST"));
        assertTrue(problem("EAST").contains("unknown read mode 'HALFWAY'"), problem("EAST"));

        plan("EAST", "CANARY", "130");
        lane.plan().refreshNow();
        assertEquals(new ReadPlan(ReadMode.CANARY, 30), lane.plan().planOf("account", "EAST"));
        assertTrue(problem("EAST").contains("between 0 and 100, not 130"), problem("EAST"));

        plan("EAST", "CANARY", "40");
        lane.plan().refreshNow();
        assertEquals(new ReadPlan(ReadMode.CANARY, 40), lane.plan().planOf("account", "EAST"));
        assertFalse(
                lane.plan().problems().stream().anyMatch(p -> p.partition().equals("EAST")),
                "a good row clears the problem");
        // A partition whose first row makes no sense has no good plan to keep: it reads from legacy.
        plan("NOWHERE", "SIDEWAYS", null);
        assertEquals(ReadPlan.LEGACY, lane.plan().planOf("account", "NOWHERE"));
        assertTrue(problem("NOWHERE").contains("unknown read mode 'SIDEWAYS'"));
    }

    @Test
    void thePlansCheckWarnsOfServiceReadsWhileLegacyOwnsTheWritesOrSeriousDriftIsOpen() throws Exception {
        postgres.execute(SERVICE, "DROP TABLE IF EXISTS public.migration_ownership");
        List<PlanCheck.Warning> warnings = lane.checkPlan("account");
        assertEquals(List.of("WEST"), partitions(warnings), warnings.toString());
        assertTrue(warnings.get(0).reason().contains("legacy owns the writes"), warnings.toString());

        postgres.execute(
                SERVICE,
                "CREATE TABLE public.migration_ownership (migration_unit varchar(255) NOT NULL, partition_value "
                        + "varchar(255) NOT NULL, owner varchar(16) NOT NULL, since timestamp, "
                        + "PRIMARY KEY (migration_unit, partition_value))",
                "INSERT INTO public.migration_ownership VALUES ('account', 'WEST', 'TARGET', now())");
        assertEquals(List.of(), lane.checkPlan("account"), "writes moved with the reads: nothing to warn of");

        SERIOUS_DRIFT.set(2);
        try {
            warnings = lane.checkPlan("account");
            assertEquals(List.of("EAST", "WEST"), partitions(warnings), warnings.toString());
            assertTrue(warnings.get(0).reason().contains("2 open drift of severity HIGH"), warnings.toString());
        } finally {
            SERIOUS_DRIFT.set(0);
            postgres.execute(SERVICE, "DROP TABLE public.migration_ownership");
        }
        plan("EAST", "BOTH", null);
        assertTrue(
                lane.checkPlan("account").stream()
                        .anyMatch(
                                w -> w.partition().equals("EAST") && w.reason().contains("unknown read mode")),
                "a refused row is in the check too");
    }

    @Test
    void theOpenDriftOfAUnitIsReadFromTheReconcilersCompactedDriftTopic() throws Exception {
        kafka.createTopic("reads.drift", 1);
        String envelope = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"aggregate\":\"%s\",\"severity\":\"%s\"}}";
        kafka.produce("reads.drift", "k1", String.format(envelope, "account", "HIGH"));
        kafka.produce("reads.drift", "k2", String.format(envelope, "account.account_extra", "CRITICAL"));
        kafka.produce("reads.drift", "k3", String.format(envelope, "account", "LOW"));
        kafka.produce("reads.drift", "k4", String.format(envelope, "accounting", "HIGH"));
        kafka.produce("reads.drift", "k5", String.format(envelope, "account", "HIGH"));
        kafka.produce("reads.drift", "k5", null);
        try (DriftTopicView view =
                DriftTopicView.follow(Map.of("bootstrap.servers", kafka.bootstrapServers()), "reads.drift")) {
            Await.until(Duration.ofSeconds(30), "the drift topic read", () -> view.seriousOpenDrift("account") == 2);
            Thread.sleep(500);
            assertEquals(2, view.seriousOpenDrift("account"), "HIGH and CRITICAL, fragments too; closed drift not");
        }
    }

    private static List<String> partitions(List<PlanCheck.Warning> warnings) {
        return warnings.stream().map(PlanCheck.Warning::partition).sorted().toList();
    }

    private static String problem(String partition) {
        return lane.plan().problems().stream()
                .filter(p -> p.partition().equals(partition))
                .map(RoutingPlan.Problem::reason)
                .findFirst()
                .orElse("(no problem)");
    }

    private static void plan(String region, String mode, String percent) throws SQLException {
        try (Connection connection = postgres.connect(SERVICE);
                PreparedStatement upsert = connection.prepareStatement("INSERT INTO public.migration_read_routing "
                        + "(migration_unit, partition_value, read_mode, canary_percent) VALUES ('account', ?, ?, ?) "
                        + "ON CONFLICT (migration_unit, partition_value) DO UPDATE SET read_mode = excluded.read_mode, "
                        + "canary_percent = excluded.canary_percent")) {
            upsert.setString(1, region);
            upsert.setString(2, mode);
            upsert.setBigDecimal(3, percent == null ? null : new BigDecimal(percent));
            upsert.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    /** The comparisons of one consumer's reads on the feed, waiting for at least {@code expected} of them. */
    private static List<JsonNode> comparisons(String consumer, int expected) throws Exception {
        return Await.value(
                Duration.ofSeconds(30),
                expected + " comparisons of " + consumer + " on the feed",
                () -> read(COMPARISONS).stream()
                        .filter(r -> r.path("consumer").asText().equals(consumer))
                        .toList(),
                records -> records.size() >= expected);
    }

    /** The latest count per "mode/answering store" of one consumer's reads, from the routing topic. */
    private static Map<String, Long> routing(String consumer) throws Exception {
        lane.drain(Duration.ofSeconds(10));
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode record : read(COMPARISONS + ".routing")) {
            if (record.path("consumer").asText().equals(consumer)) {
                counts.merge(
                        record.path("mode").asText() + "/"
                                + record.path("answered_by").asText(),
                        record.path("reads").asLong(),
                        Math::max);
            }
        }
        return counts;
    }

    private static List<JsonNode> read(String topic) {
        List<JsonNode> records = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : kafka.consumeAll(5_000, topic)) {
                records.add(JSON.readTree(record.value()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read topic " + topic, e);
        }
        return records;
    }

    /** What the facade answers its clients: the same view from either store, and which store made it. */
    record Account(String id, String status, BigDecimal balance, String source) {}

    /** A facade of the accounts capability, as a team would write it with the lane (a few dozen lines). */
    static final class AccountFacade {
        private final ReadShift reads;

        AccountFacade(ReadShift reads) {
            this.reads = reads;
        }

        Account account(String region, long acctNo, String consumer) throws Exception {
            RouteDecision route = reads.route("account", region, Long.toString(acctNo), consumer);
            return reads.read(route, () -> fromLegacy(acctNo), () -> fromService("A-" + acctNo));
        }

        private LegacyAnswer<Account> fromLegacy(long acctNo) throws SQLException {
            try (Connection connection = postgres.connect(LEGACY);
                    PreparedStatement select =
                            connection.prepareStatement("SELECT * FROM public.acct WHERE acct_no = ?")) {
                select.setLong(1, acctNo);
                try (ResultSet rs = select.executeQuery()) {
                    List<Map<String, Object>> rows = LegacyAnswer.rows(rs);
                    if (rows.isEmpty()) {
                        return LegacyAnswer.of(null, rows);
                    }
                    Map<String, Object> row = rows.get(0);
                    String status = switch ((String) row.get("st")) {
                        case "O" -> "OPEN";
                        case "F" -> "FROZEN";
                        case "C" -> "CLOSED";
                        default -> "UNKNOWN";
                    };
                    return LegacyAnswer.of(
                            new Account("A-" + acctNo, status, (BigDecimal) row.get("bal"), "legacy"), rows);
                }
            }
        }

        private ServiceAnswer<Account> fromService(String id) throws SQLException {
            if (!serviceTrouble.isEmpty()) {
                throw new SQLException("service unavailable: " + serviceTrouble);
            }
            try (Connection connection = postgres.connect(SERVICE);
                    PreparedStatement select =
                            connection.prepareStatement("SELECT * FROM public.account WHERE account_id = ?")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    List<Map<String, Object>> rows = LegacyAnswer.rows(rs);
                    if (rows.isEmpty()) {
                        return ServiceAnswer.of(null, rows);
                    }
                    Map<String, Object> row = rows.get(0);
                    return ServiceAnswer.of(
                            new Account(id, (String) row.get("status"), (BigDecimal) row.get("balance"), "service"),
                            rows);
                }
            }
        }
    }
}
