package io.rollingmigration.benchmarks.readshift;

import io.rollingmigration.connect.common.dialect.PostgresDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.readshift.ComparisonFeed;
import io.rollingmigration.readshift.ComparisonRecord;
import io.rollingmigration.readshift.ComparisonRules;
import io.rollingmigration.readshift.LegacyAnswer;
import io.rollingmigration.readshift.ReadComparison;
import io.rollingmigration.readshift.ReadMode;
import io.rollingmigration.readshift.ReadOutcome;
import io.rollingmigration.readshift.ReadPlan;
import io.rollingmigration.readshift.ReadShift;
import io.rollingmigration.readshift.ReadVerdict;
import io.rollingmigration.readshift.RouteDecision;
import io.rollingmigration.readshift.RoutingCounts;
import io.rollingmigration.readshift.RoutingPlanTable;
import io.rollingmigration.readshift.ServiceAnswer;
import io.rollingmigration.testsupport.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The read-shift lane's cost, against the read it shadows, on a private PostgreSQL holding a legacy table of 20
 * columns and the service's table of the 20-field aggregate made from it:
 * <ol>
 *   <li>the time a routed, shadowed read adds to the request over the direct legacy read: per request, the
 *       request's whole time minus the legacy read's own (the routing decision, the hand-off of the service read
 *       to the lane's threads, the hand-off of the comparison), p50 and p99; the direct and routed latencies are
 *       printed beside it;</li>
 *   <li>the comparisons per second one core sustains (one thread, translate and judge, answers in memory), with the
 *       spec's translation alone as the floor it cannot beat.</li>
 * </ol>
 * Every shadowed read's comparison must come out MATCH, or the figures are of the wrong work.
 */
public final class ReadShiftBenchmark {

    static final String SPEC = """
            name: bench-accounts
            version: 1
            source: legacy.acct
            columns: {acct_no: bigint, holder: text, email: text, st: char(1), kind: char(1), bal: 'numeric(12,2)',
                      limit_amt: 'numeric(12,2)', rgn: text, branch: text, opened: date, closed: date,
                      changed_at: timestamp(6), risk: int, score: double precision, vip: boolean, phone: text,
                      addr1: text, city: text, zip: text, ccy: char(3), note: text}
            aggregates:
              account:
                key: {field: account_id, expr: "'A-' + string(after.acct_no)"}
                ownership: region
                fields:
                  holder: {from: holder, masked: true}
                  email: {from: email, masked: true}
                  status: {from: st, map: {O: OPEN, F: FROZEN, C: CLOSED}, unmapped: error}
                  kind: {from: kind, map: {P: PERSONAL, B: BUSINESS}, unmapped: error}
                  balance: {type: decimal(2), from: bal}
                  credit_limit: {type: decimal(2), from: limit_amt}
                  region: rgn
                  branch: {expr: "upperAscii(trim(after.branch))"}
                  opened_on: {type: date, from: opened}
                  closed_on: {type: date, from: closed}
                  changed: {type: timestamp, from: changed_at}
                  risk_class: {type: int, from: risk}
                  score: {type: double, from: score}
                  vip: {type: boolean, from: vip}
                  phone: phone
                  address_line: {expr: "trim(after.addr1)"}
                  city: city
                  postcode: zip
                  currency: ccy
                  note: note
            """;

    private static final int ACCOUNTS = 10_000;
    private static final String LEGACY_READ = "SELECT * FROM legacy.acct WHERE acct_no = ?";
    private static final String SERVICE_READ = "SELECT * FROM service.account WHERE account_id = ?";

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        try (PostgresFixture postgres = PostgresFixture.startOwned()) {
            prepare(postgres);
            AggregateTranslator translator = SpecCompiler.compile(SPEC, "account");
            ReadComparison comparison =
                    ReadComparison.of(translator, ComparisonRules.exact().withChangeColumn("changed_at"));
            Latencies latencies = requestPath(postgres, comparison, quick ? 5_000 : 20_000);
            Throughput throughput = comparisons(postgres, comparison, translator, quick);
            System.out.printf(
                    Locale.ROOT,
                    "[bench] request path: direct legacy read p50 %d us, p99 %d us; routed and shadowed p50 %d us, "
                            + "p99 %d us; added by the lane p50 %d us, p99 %d us (%d requests each)%n",
                    latencies.directP50,
                    latencies.directP99,
                    latencies.routedP50,
                    latencies.routedP99,
                    latencies.addedP50,
                    latencies.addedP99,
                    latencies.requests);
            System.out.printf(
                    Locale.ROOT,
                    "[bench] one core: %.0f comparisons/s of a 20-field aggregate; the translation alone %.0f/s "
                            + "(the comparison is %.0f%% of it)%n",
                    throughput.comparisons,
                    throughput.translations,
                    100 * throughput.comparisons / throughput.translations);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT bench=readshift added_p99_us=%d comparisons_s=%.0f added_p50_us=%d direct_p99_us=%d "
                            + "translations_s=%.0f%n",
                    latencies.addedP99,
                    throughput.comparisons,
                    latencies.addedP50,
                    latencies.directP99,
                    throughput.translations);
        }
    }

    private record Latencies(
            int requests,
            long directP50,
            long directP99,
            long routedP50,
            long routedP99,
            long addedP50,
            long addedP99) {}

    private record Throughput(double comparisons, double translations) {}

    private static void prepare(PostgresFixture postgres) {
        postgres.execute(
                PostgresFixture.LEGACY,
                "CREATE SCHEMA legacy",
                "CREATE SCHEMA service",
                "CREATE TABLE legacy.acct (acct_no bigint PRIMARY KEY, holder text, email text, st char(1), kind "
                        + "char(1), bal numeric(12,2), limit_amt numeric(12,2), rgn text, branch text, opened date, "
                        + "closed date, changed_at timestamp(6), risk int, score double precision, vip boolean, "
                        + "phone text, addr1 text, city text, zip text, ccy char(3), note text)",
                "INSERT INTO legacy.acct SELECT g, 'Holder ' || g, 'h' || g || '@example.org', "
                        + "(ARRAY['O','F','C'])[1 + g % 3], (ARRAY['P','B'])[1 + g % 2], (g % 9973) + 0.25, "
                        + "(g % 50) * 100, (ARRAY['NORTH','SOUTH','EAST'])[1 + g % 3], ' br' || (g % 40) || ' ', "
                        + "date '2020-01-01' + g % 1500, CASE WHEN g % 7 = 0 THEN date '2026-01-01' END, "
                        + "timestamp '2026-01-01 10:00:00' + g * interval '1 second', g % 5, (g % 1000) / 8.0, "
                        + "g % 11 = 0, '+44 20 ' || lpad(g::text, 7, '0'), '  ' || g || ' High Street ', "
                        + "'City ' || (g % 200), 'ZP' || (g % 999), 'GBP', CASE WHEN g % 3 = 0 THEN 'note ' || g END "
                        + "FROM generate_series(1, " + ACCOUNTS + ") g",
                "CREATE TABLE service.account (account_id text PRIMARY KEY, holder text, email text, status text, "
                        + "kind text, balance numeric(12,2), credit_limit numeric(12,2), region text, branch text, "
                        + "opened_on date, closed_on date, changed timestamp(6), risk_class int, score double "
                        + "precision, vip boolean, phone text, address_line text, city text, postcode text, "
                        + "currency text, note text, lineage_source_committed_at timestamp(6))",
                "INSERT INTO service.account SELECT 'A-' || acct_no, holder, email, CASE st WHEN 'O' THEN 'OPEN' "
                        + "WHEN 'F' THEN 'FROZEN' ELSE 'CLOSED' END, CASE kind WHEN 'P' THEN 'PERSONAL' ELSE "
                        + "'BUSINESS' END, bal, limit_amt, rgn, upper(trim(branch)), opened, closed, changed_at, "
                        + "risk, score, vip, phone, trim(addr1), city, zip, ccy, note, changed_at FROM legacy.acct",
                "ANALYZE legacy.acct",
                "ANALYZE service.account");
    }

    /**
     * Alternates direct legacy reads and routed, shadowed reads of random keys, one at a time on this thread, the
     * service read of each routed one on the lane's threads; the first fifth is warm-up.
     */
    private static Latencies requestPath(PostgresFixture postgres, ReadComparison comparison, int requests)
            throws Exception {
        Outcomes outcomes = new Outcomes();
        Map<Thread, Connection> serviceConnections = new ConcurrentHashMap<>();
        try (Connection legacy = postgres.connect(PostgresFixture.LEGACY);
                PreparedStatement legacyRead = legacy.prepareStatement(LEGACY_READ);
                ReadShift lane = ReadShift.builder()
                        .plan(() -> postgres.connect(PostgresFixture.LEGACY), "public.migration_read_routing")
                        .comparison(comparison)
                        .feed(outcomes)
                        .secondaryTimeout(Duration.ofSeconds(2))
                        .build()) {
            try (Connection plan = postgres.connect(PostgresFixture.LEGACY)) {
                new RoutingPlanTable(new PostgresDialect(), TableId.parse("public.migration_read_routing"))
                        .write(plan, "account", RoutingPlanTable.ANY_PARTITION, new ReadPlan(ReadMode.SHADOW, 0));
            }
            lane.plan().refreshNow();
            SplittableRandom random = new SplittableRandom(7);
            int warmup = requests / 5;
            long[] direct = new long[requests];
            long[] routed = new long[requests];
            long[] added = new long[requests];
            long[] legacyOwn = new long[1];
            for (int i = 0; i < warmup + requests; i++) {
                long acct = 1 + random.nextInt(ACCOUNTS);
                long started = System.nanoTime();
                legacyAnswer(legacyRead, acct);
                long directNanos = System.nanoTime() - started;

                long acctRouted = 1 + random.nextInt(ACCOUNTS);
                started = System.nanoTime();
                RouteDecision route = lane.route("account", null, Long.toString(acctRouted), "bench-facade");
                lane.read(
                        route,
                        () -> {
                            long readStarted = System.nanoTime();
                            LegacyAnswer<Long> answer = legacyAnswer(legacyRead, acctRouted);
                            legacyOwn[0] = System.nanoTime() - readStarted;
                            return answer;
                        },
                        () -> serviceAnswer(serviceConnections, postgres, "A-" + acctRouted));
                long routedNanos = System.nanoTime() - started;
                if (i >= warmup) {
                    direct[i - warmup] = directNanos / 1_000;
                    routed[i - warmup] = routedNanos / 1_000;
                    added[i - warmup] = Math.max(0, routedNanos - legacyOwn[0]) / 1_000;
                }
            }
            lane.drain(Duration.ofSeconds(30));
            outcomes.require(warmup + requests);
            for (Connection connection : serviceConnections.values()) {
                connection.close();
            }
            System.out.printf(
                    Locale.ROOT,
                    "[bench] added by the lane: p90 %d us, p95 %d us, p99 %d us, p99.9 %d us, max %d us%n",
                    percentile(added, 90),
                    percentile(added, 95),
                    percentile(added, 99),
                    percentileTenths(added, 999),
                    percentileTenths(added, 1000));
            return new Latencies(
                    requests,
                    percentile(direct, 50),
                    percentile(direct, 99),
                    percentile(routed, 50),
                    percentile(routed, 99),
                    percentile(added, 50),
                    percentile(added, 99));
        }
    }

    /** One thread comparing (and, as the floor, translating) answers read once into memory. */
    private static Throughput comparisons(
            PostgresFixture postgres, ReadComparison comparison, AggregateTranslator translator, boolean quick)
            throws SQLException {
        int sample = 2_000;
        List<List<Map<String, Object>>> legacyRows = new ArrayList<>(sample);
        List<List<Map<String, Object>>> serviceRows = new ArrayList<>(sample);
        try (Connection connection = postgres.connect(PostgresFixture.LEGACY);
                PreparedStatement legacy = connection.prepareStatement(LEGACY_READ);
                PreparedStatement service = connection.prepareStatement(SERVICE_READ)) {
            for (int acct = 1; acct <= sample; acct++) {
                legacyRows.add(legacyAnswer(legacy, acct).rows());
                service.setString(1, "A-" + acct);
                try (ResultSet rs = service.executeQuery()) {
                    serviceRows.add(LegacyAnswer.rows(rs));
                }
            }
        }
        long now = System.currentTimeMillis();
        for (int i = 0; i < sample; i++) {
            ReadVerdict verdict = comparison.compare(legacyRows.get(i), serviceRows.get(i), now);
            if (verdict.outcome() != ReadOutcome.MATCH) {
                throw new IllegalStateException("Account " + (i + 1) + " does not match: " + verdict);
            }
        }
        long seconds = quick ? 3 : 8;
        measure(Duration.ofSeconds(2), i -> comparison.compare(legacyRows.get(i), serviceRows.get(i), now), sample);
        double compared = measure(
                Duration.ofSeconds(seconds),
                i -> comparison.compare(legacyRows.get(i), serviceRows.get(i), now),
                sample);
        Map<String, Object> none = Map.of();
        measure(
                Duration.ofSeconds(2),
                i -> translator.translate("A", legacyRows.get(i).get(0), none, none, "r"),
                sample);
        double translated = measure(
                Duration.ofSeconds(seconds),
                i -> translator.translate("A", legacyRows.get(i).get(0), none, none, "r"),
                sample);
        return new Throughput(compared, translated);
    }

    private interface Work {
        Object run(int i);
    }

    private static Object sink;

    private static double measure(Duration duration, Work work, int sample) {
        long deadline = System.nanoTime() + duration.toNanos();
        long done = 0;
        long started = System.nanoTime();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 256; i++) {
                sink = work.run((int) (done++ % sample));
            }
        }
        return done / ((System.nanoTime() - started) / 1e9);
    }

    private static LegacyAnswer<Long> legacyAnswer(PreparedStatement read, long acct) throws SQLException {
        read.setLong(1, acct);
        try (ResultSet rs = read.executeQuery()) {
            return LegacyAnswer.of(acct, LegacyAnswer.rows(rs));
        }
    }

    private static ServiceAnswer<Long> serviceAnswer(
            Map<Thread, Connection> connections, PostgresFixture postgres, String id) throws SQLException {
        Connection connection = connections.get(Thread.currentThread());
        if (connection == null) {
            connection = postgres.connect(PostgresFixture.LEGACY);
            connections.put(Thread.currentThread(), connection);
        }
        try (PreparedStatement read = connection.prepareStatement(SERVICE_READ)) {
            read.setString(1, id);
            try (ResultSet rs = read.executeQuery()) {
                return ServiceAnswer.of(0L, LegacyAnswer.rows(rs));
            }
        }
    }

    private static long percentileTenths(long[] values, int tenths) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(tenths / 1000.0 * sorted.length) - 1)];
    }

    private static long percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    /** Counts the comparisons' outcomes; every one must be a match. */
    private static final class Outcomes implements ComparisonFeed {
        private final Map<ReadOutcome, LongAdder> counts = new ConcurrentHashMap<>();
        private volatile ComparisonRecord lastOther;

        @Override
        public void comparison(ComparisonRecord record) {
            counts.computeIfAbsent(record.verdict().outcome(), o -> new LongAdder())
                    .increment();
            if (record.verdict().outcome() != ReadOutcome.MATCH) {
                lastOther = record;
            }
        }

        @Override
        public void routing(List<RoutingCounts.Count> counts, long atMillis) {}

        void require(int expected) {
            long matched =
                    counts.getOrDefault(ReadOutcome.MATCH, new LongAdder()).sum();
            if (matched != expected) {
                throw new IllegalStateException(
                        "Expected " + expected + " matching comparisons, got " + counts + "; for example " + lastOther);
            }
        }
    }
}
