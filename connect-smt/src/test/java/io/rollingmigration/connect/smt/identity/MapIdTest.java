package io.rollingmigration.connect.smt.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.connect.common.spec.Uuid5;
import io.rollingmigration.connect.smt.lineage.DebeziumEventsAccess;
import io.rollingmigration.testsupport.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class MapIdTest {

    private static final String NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
    private static final Schema ROW = SchemaBuilder.struct()
            .name("row")
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .build();

    private static MapId<SourceRecord> transform(Map<String, String> overrides) {
        Map<String, String> config =
                new HashMap<>(Map.of("source.fields", "id", "target.field", "party_id", "uuid.namespace", NAMESPACE));
        config.putAll(overrides);
        MapId<SourceRecord> transform = new MapId.Value<>();
        transform.configure(config);
        return transform;
    }

    private static SourceRecord row(long id) {
        return new SourceRecord(
                Map.of(),
                Map.of(),
                "t",
                0,
                null,
                null,
                ROW,
                new Struct(ROW).put("id", id).put("name", "n" + id));
    }

    @Test
    void deterministicIdsAreUuid5OfTheCanonicalLegacyKeyAndSchemasAreCached() {
        MapId<SourceRecord> transform = transform(Map.of());
        SourceRecord first = transform.apply(row(42));
        SourceRecord second = transform.apply(row(43));

        assertEquals(
                Uuid5.of(UUID.fromString(NAMESPACE), "{\"id\":42}").toString(),
                ((Struct) first.value()).getString("party_id"));
        assertEquals("n42", ((Struct) first.value()).getString("name"));
        assertSame(first.valueSchema(), second.valueSchema(), "the derived schema is built once");
    }

    @Test
    void anExistingNameBasedIdSchemeIsReproducedExactlyAsASpecKeyMakesIt() {
        String spec = "name: s\nversion: 1\nsource: t\naggregates:\n  a:\n    key: {field: party_id, uuid5: "
                + "{namespace: url, name: \"'customer:' + string(after.id)\"}}\n    fields:\n      name: name\n";
        String specId = SpecCompiler.compile(spec, "a").targetId(Map.of("id", 42L, "name", "n42"));

        SourceRecord mapped = transform(Map.of("uuid.namespace", "url", "uuid.name", "'customer:' + string(after.id)"))
                .apply(row(42));

        assertEquals(Uuid5.of(UUID.fromString(NAMESPACE), "customer:42").toString(), specId);
        assertEquals(specId, ((Struct) mapped.value()).getString("party_id"));
        ConfigException bad = assertThrows(ConfigException.class, () -> transform(Map.of("uuid.name", "after.id +")));
        assertTrue(bad.getMessage().contains("uuid.name"), bad.getMessage());
    }

    @Test
    void inAChangeEventBothRowsGetTheTargetId() {
        Struct envelope = (Struct) transform(Map.of())
                .apply(DebeziumEventsAccess.update(7, "a", "b"))
                .value();

        String expected = Uuid5.of(UUID.fromString(NAMESPACE), "{\"id\":7}").toString();
        assertEquals(expected, envelope.getStruct("before").getString("party_id"));
        assertEquals(expected, envelope.getStruct("after").getString("party_id"));
        assertEquals("u", envelope.getString("op"));
    }

    @Test
    void lookupsComeFromTheMappingTableAndAreCached() {
        PostgresFixture postgres = PostgresFixture.shared();
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS party_id_map",
                "CREATE TABLE party_id_map (legacy_id bigint PRIMARY KEY, target_id text NOT NULL)",
                "INSERT INTO party_id_map VALUES (42, 'P-00042')");
        Map<String, String> lookup = new HashMap<>(Map.of(
                "mode",
                "lookup",
                "lookup.table",
                "party_id_map",
                "lookup.connection.url",
                postgres.jdbcUrl(PostgresFixture.TARGET),
                "lookup.connection.user",
                postgres.user()));
        MapId<SourceRecord> transform = transform(lookup);
        Metrics registry = new Metrics();
        transform.withPluginMetrics(new PluginMetricsImpl(registry, Map.of()));

        assertEquals("P-00042", ((Struct) transform.apply(row(42)).value()).getString("party_id"));
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE party_id_map");
        assertEquals(
                "P-00042",
                ((Struct) transform.apply(row(42)).value()).getString("party_id"),
                "answered from the cache");
        assertEquals(1, transform.cacheStats().hitCount());
        assertEquals(1, transform.cacheStats().missCount());
        assertEquals(
                1L,
                registry.metrics().entrySet().stream()
                        .filter(e -> e.getKey().name().equals("id-cache-hit-total"))
                        .findFirst()
                        .orElseThrow()
                        .getValue()
                        .metricValue(),
                "hits are published as a plugin metric");
        transform.close();
    }

    @Test
    void aNumericLegacyIdIsLookedUpAsTextInAMappingTableThatKeepsIdsAsText() {
        PostgresFixture postgres = PostgresFixture.shared();
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS party_id_map3",
                "CREATE TABLE party_id_map3 (legacy_id varchar(255) PRIMARY KEY, target_id text NOT NULL)",
                "INSERT INTO party_id_map3 VALUES ('42', 'written-back-party')");
        MapId<SourceRecord> transform = transform(new HashMap<>(Map.of(
                "mode",
                "lookup",
                "lookup.table",
                "party_id_map3",
                "lookup.connection.url",
                postgres.jdbcUrl(PostgresFixture.TARGET),
                "lookup.connection.user",
                postgres.user())));

        assertEquals("written-back-party", ((Struct) transform.apply(row(42)).value()).getString("party_id"));
        transform.close();
    }

    @Test
    void anUnreachableMappingDatabaseIsRetriedByThePolicyThenARetriableFailureForConnectsOwnRetries() {
        MapId<SourceRecord> transform = transform(new HashMap<>(Map.of(
                "mode",
                "lookup",
                "lookup.table",
                "party_id_map",
                "lookup.connection.url",
                "jdbc:postgresql://127.0.0.1:1/nowhere",
                "errors.retry.timeout",
                "1500",
                "retry.backoff.ms",
                "100")));

        long started = System.nanoTime();
        RetriableException e = assertThrows(RetriableException.class, () -> transform.apply(row(42)));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(e.getMessage().contains("for now") && e.getMessage().contains("gave up after"), e.getMessage());
        assertTrue(tookMillis >= 1_400, "retried for the policy's 1.5 s, not once: " + tookMillis + " ms");
        transform.close();
    }

    @Test
    void aMissingMappingFailsOrFallsBackButIsNeverNull() {
        PostgresFixture postgres = PostgresFixture.shared();
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS party_id_map2",
                "CREATE TABLE party_id_map2 (legacy_id bigint PRIMARY KEY, target_id text NOT NULL)");
        Map<String, String> lookup = new HashMap<>(Map.of(
                "mode",
                "lookup",
                "lookup.table",
                "party_id_map2",
                "lookup.connection.url",
                postgres.jdbcUrl(PostgresFixture.TARGET),
                "lookup.connection.user",
                postgres.user()));

        DataException error =
                assertThrows(DataException.class, () -> transform(lookup).apply(row(9)));
        assertTrue(error.getMessage().contains("{\"id\":9}"), error.getMessage());

        lookup.put("missing", "fallback.uuid5");
        assertEquals(
                Uuid5.of(UUID.fromString(NAMESPACE), "{\"id\":9}").toString(),
                ((Struct) transform(lookup).apply(row(9)).value()).getString("party_id"));
    }

    @Test
    void invalidSettingsAreRejectedOnTheirKeys() {
        ConfigException namespace =
                assertThrows(ConfigException.class, () -> transform(Map.of("uuid.namespace", "not-a-uuid")));
        assertTrue(namespace.getMessage().contains("uuid.namespace"), namespace.getMessage());
        ConfigException table = assertThrows(ConfigException.class, () -> transform(Map.of("mode", "lookup")));
        assertTrue(table.getMessage().contains("lookup.table"), table.getMessage());
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        String guide =
                Files.readString(Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-smt.md"));
        for (String key : MapId.CONFIG_DEF.names()) {
            assertTrue(guide.contains("`" + key + "`"), "docs/connect-smt.md documents `" + key + "`");
        }
    }
}
