package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.benchmarks.PeerPlugins;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pipeline from the same Debezium source to its own target table: ours (TranslateAggregate into our sink, with
 * our JSON converter or Kafka's) or the peer (Kafka's JsonConverter, Debezium's ExtractNewRecordState and Kafka's
 * stock transforms into the Debezium JDBC sink in upsert mode).
 * Each contender has its own legacy database, source connector, slot and topic, so neither sees the other's
 * changes.
 *
 * <p>Both target tables carry the legacy write time through as {@code written_us} and have the same trigger that
 * stamps {@code applied_us} with the database clock when a row is inserted or updated.
 */
final class Contender {

    private static final String STAMP_FUNCTION = "CREATE OR REPLACE FUNCTION stamp_applied_us() RETURNS trigger "
            + "LANGUAGE plpgsql AS $$ BEGIN NEW.applied_us := " + LegacyAccounts.CLOCK_US + "; RETURN NEW; END $$";
    private static final String BUSINESS_COLUMNS = "kind text, holder text, status text, balance numeric(14,2), "
            + "credit_limit numeric(14,2), opened_on date, updated_at timestamp(3), email text, region text, "
            + "version bigint, step int, written_us bigint";
    private static final String LINEAGE_COLUMNS = "lineage_source_system text, lineage_source_table text, "
            + "lineage_source_key text COLLATE \"C\", lineage_source_position bigint, lineage_source_committed_at timestamptz, "
            + "lineage_operation text, lineage_snapshot text, lineage_rule text, lineage_translated_at timestamptz, "
            + "lineage_applied_at timestamptz, lineage_deleted_at timestamptz";

    /** The job our transform does; the peer's stock chain does what of it stock transforms can. */
    static final String SPEC = String.join(
            "\n",
            "name: bench-account",
            "version: 1",
            "source: public.account",
            "columns: [id, kind, holder, status, balance, credit_limit, opened_on, updated_at, email, fax, region,",
            "          version, step, written_us]",
            "aggregates:",
            "  account:",
            "    key: {field: account_id, uuid5: {namespace: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, columns: [id]}}",
            "    fields:",
            "      legacy_id: {type: long, from: id}",
            "      kind: {from: kind, map: {B: ORGANISATION, P: PERSON}, unmapped: error}",
            "      holder: holder",
            "      status: {from: status, map: {A: ACTIVE, S: SUSPENDED, C: CLOSED}, default: UNKNOWN}",
            "      balance: {type: decimal(2), from: balance}",
            "      credit_limit: {type: decimal(2), from: credit_limit}",
            "      opened_on: {type: date, from: opened_on}",
            "      updated_at: {type: timestamp, from: updated_at}",
            "      email: email",
            "      region: region",
            "      version: {type: long, from: version}",
            "      step: {type: int, from: step}",
            "      written_us: {type: long, from: written_us}",
            "    dropped:",
            "      fax: the target account model has no fax");

    private final String name;
    private final String title;
    private final String targetTable;
    private final String legacyIdColumn;
    private final List<String> targetDdl;
    private final Map<String, String> sink;
    private final Map<String, String> converters;

    private Contender(
            String name,
            String title,
            String targetTable,
            String legacyIdColumn,
            List<String> targetDdl,
            Map<String, String> sink,
            Map<String, String> converters) {
        this.name = name;
        this.title = title;
        this.targetTable = targetTable;
        this.legacyIdColumn = legacyIdColumn;
        this.targetDdl = targetDdl;
        this.sink = sink;
        this.converters = converters;
    }

    /** Kafka's JsonConverter with schemas, the worker's default here. */
    static final String STOCK_JSON = "org.apache.kafka.connect.json.JsonConverter";
    /** Ours: the same bytes, each schema built once. */
    static final String CACHED_SCHEMA_JSON = "io.rollingmigration.converter.CachedSchemaJsonConverter";

    /**
     * Ours as users run it, its source and sink both on the given JSON converter.
     *
     * @param converter {@link #CACHED_SCHEMA_JSON} (the contender named "ours") or {@link #STOCK_JSON} ("ours_json")
     * @param statusBootstrap the Kafka cluster ours publishes its status records to, as with the migration
     *                        dashboard; {@code null} for none
     */
    static Contender ours(PostgresFixture postgres, String converter, String statusBootstrap) {
        boolean cached = CACHED_SCHEMA_JSON.equals(converter);
        String name = cached ? "ours" : "ours_json";
        String table = "account_" + name;
        Map<String, String> sink = new LinkedHashMap<>();
        sink.put("connector.class", "io.rollingmigration.connect.sink.TargetStoreSinkConnector");
        sink.put("connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        sink.put("connection.user", postgres.user());
        putPassword(sink, "connection.password", postgres);
        sink.put("target.table", "public." + table);
        sink.put("transforms", "translate");
        sink.put("transforms.translate.type", "io.rollingmigration.connect.smt.translate.TranslateAggregate");
        sink.put("transforms.translate.spec", SPEC);
        sink.put("transforms.translate.aggregate", "account");
        if (statusBootstrap != null) {
            sink.put("status.bootstrap.servers", statusBootstrap);
        }
        return new Contender(
                name,
                (cached ? "CachedSchemaJsonConverter" : "JsonConverter") + " -> TranslateAggregate -> TargetStoreSink",
                table,
                "legacy_id",
                List.of(
                        "CREATE TABLE " + table + " (account_id text PRIMARY KEY, legacy_id bigint, " + BUSINESS_COLUMNS
                                + ", " + LINEAGE_COLUMNS + ", applied_us bigint)",
                        // The index the sink's guide asks for (the reconciler reads target rows in this order).
                        "CREATE INDEX " + table + "_source_key ON " + table + " (lineage_source_key)"),
                sink,
                jsonConverters(converter));
    }

    static Contender peer(PostgresFixture postgres) {
        String table = "account_peer";
        Map<String, String> sink = new LinkedHashMap<>();
        sink.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        sink.put("connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        sink.put("connection.username", postgres.user());
        putPassword(sink, "connection.password", postgres);
        sink.put("insert.mode", "upsert");
        sink.put("primary.key.mode", "record_key");
        sink.put("schema.evolution", "none");
        sink.put("collection.name.format", table);
        // Its own per-batch de-duplication by key: the peer's best configuration.
        sink.put("use.reduction.buffer", "true");
        sink.put("transforms", "unwrap,drop,rule");
        sink.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        sink.put("transforms.unwrap.add.fields", "op,table,lsn,source.ts_ms");
        sink.put("transforms.drop.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
        sink.put("transforms.drop.exclude", "fax");
        sink.put("transforms.rule.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        sink.put("transforms.rule.static.field", "lineage_rule");
        sink.put("transforms.rule.static.value", "bench-account@1");
        return new Contender(
                "peer",
                "JsonConverter -> ExtractNewRecordState + stock SMTs -> Debezium JDBC sink "
                        + PeerPlugins.release(PeerPlugins.JDBC_SINK) + " (upsert)",
                table,
                "id",
                List.of("CREATE TABLE " + table + " (id bigint PRIMARY KEY, " + BUSINESS_COLUMNS
                        + ", __op text, __table text, __lsn bigint, __source_ts_ms bigint, lineage_rule text, "
                        + "applied_us bigint)"),
                sink,
                jsonConverters(STOCK_JSON));
    }

    private static Map<String, String> jsonConverters(String converter) {
        return Map.of(
                "key.converter",
                converter,
                "key.converter.schemas.enable",
                "true",
                "value.converter",
                converter,
                "value.converter.schemas.enable",
                "true");
    }

    private static void putPassword(Map<String, String> config, String key, PostgresFixture postgres) {
        if (!postgres.password().isEmpty()) {
            config.put(key, postgres.password());
        }
    }

    String name() {
        return name;
    }

    String title() {
        return title;
    }

    String targetTable() {
        return targetTable;
    }

    /** The target column that holds the legacy row's id. */
    String legacyIdColumn() {
        return legacyIdColumn;
    }

    String legacyDatabase() {
        return "legacy_" + name;
    }

    String topic() {
        return name + "." + LegacyAccounts.TABLE;
    }

    String slot() {
        return name + "_account";
    }

    String sourceConnector() {
        return "bench-" + name + "-source";
    }

    String sinkConnector() {
        return "bench-" + name + "-sink";
    }

    /** The consumer group Connect gives the sink connector. */
    String sinkGroup() {
        return "connect-" + sinkConnector();
    }

    void createTarget(PostgresFixture postgres) {
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS " + targetTable, STAMP_FUNCTION);
        postgres.execute(PostgresFixture.TARGET, targetDdl.toArray(new String[0]));
        postgres.execute(
                PostgresFixture.TARGET,
                "CREATE TRIGGER " + targetTable + "_applied BEFORE INSERT OR UPDATE " + "ON " + targetTable
                        + " FOR EACH ROW EXECUTE FUNCTION stamp_applied_us()");
    }

    Map<String, String> sinkConfig() {
        Map<String, String> config = new LinkedHashMap<>(sink);
        config.put("tasks.max", "1");
        config.put("topics", topic());
        config.putAll(converters);
        return config;
    }

    /** The source connector's settings: the legacy database's, with this contender's converters. */
    Map<String, String> sourceConfig(Map<String, String> legacySource) {
        Map<String, String> config = new LinkedHashMap<>(legacySource);
        config.putAll(converters);
        return config;
    }
}
