package io.rollingmigration.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.rollingmigration.connect.common.lineage.Lineage.Field;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import io.rollingmigration.testsupport.WireFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sink writes the same rows whatever converter brought the aggregates: carried through Kafka's JsonConverter
 * or through Avro (Apicurio's Connect mapping), exact decimals, dates, timestamps, booleans, small integers,
 * empty optional columns, updates and deletes end as they do from the records the translation produced.
 */
class SinkOnAnyConverterTest {

    private static final Schema KEY = SchemaBuilder.struct()
            .name("policy.Key")
            .field("id", Schema.INT64_SCHEMA)
            .build();
    private static final Schema POLICY = SchemaBuilder.struct()
            .name("policy.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("holder", Schema.STRING_SCHEMA)
            .field("vin", Schema.OPTIONAL_STRING_SCHEMA)
            .field("premium", Decimal.builder(2).optional().build())
            .field("starts_on", Date.builder().optional().build())
            .field("updated_at", Timestamp.builder().optional().build())
            .field("in_force", Schema.BOOLEAN_SCHEMA)
            .field("installments", Schema.OPTIONAL_INT32_SCHEMA)
            .build();
    private static final String COLUMNS = "id bigint PRIMARY KEY, holder text, vin varchar(17), "
            + "premium numeric(12,2), starts_on date, updated_at timestamp(3), in_force boolean, installments int, "
            + "lineage_source_system text, lineage_source_table text, lineage_source_key text, "
            + "lineage_source_position bigint, lineage_source_committed_at timestamptz, lineage_operation text, "
            + "lineage_snapshot text, lineage_rule text, lineage_translated_at timestamptz, "
            + "lineage_applied_at timestamptz, lineage_deleted_at timestamptz";

    private static PostgresFixture postgres;

    @BeforeAll
    static void database() {
        postgres = PostgresFixture.shared();
    }

    static Stream<WireFormat> formats() {
        return Stream.of(WireFormat.json(), WireFormat.avro());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aggregatesCarriedByTheConverterLandAsTheTranslatedOnesDo(WireFormat format) {
        List<SinkRecord> changes = List.of(
                change(1, policy(1, "Ada", "VIN00000000000001", "1234.57", 20_089, 1_764_000_000_123L, true, 12), 10),
                change(2, policy(2, "Bo", null, null, null, null, false, null), 11),
                change(3, policy(3, "Cy", "VIN3", "0.01", 1, 0L, true, 1), 12),
                change(
                        1,
                        policy(1, "Ada King", "VIN00000000000001", "1250.00", 20_089, 1_764_000_001_000L, true, 4),
                        20),
                change(3, null, 30));

        List<SinkRecord> carried = new ArrayList<>();
        for (SinkRecord change : changes) {
            SinkRecord after = format.carry(change);
            if (change.value() != null) {
                assertNotSame(change.valueSchema(), after.valueSchema(), "the record crossed " + format);
            }
            carried.add(after);
        }
        String produced = "policy_produced_" + format;
        String converted = "policy_converted_" + format;
        write(produced, changes);
        write(converted, carried);

        assertEquals(rows(produced), rows(converted));
        assertEquals(3, rows(converted).size(), rows(converted).toString());
    }

    private static void write(String table, List<SinkRecord> records) {
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (" + COLUMNS + ")");
        Map<String, String> config = new HashMap<>(postgres.connectionSettings("", PostgresFixture.TARGET));
        config.put("target.table", table);
        TargetStoreSinkTask task = new TargetStoreSinkTask();
        task.initialize(new RecordingSinkContext(true));
        task.start(config);
        try {
            // One record per put, as the versions arrive: the guard sees each change in its turn.
            records.forEach(r -> task.put(List.of(r)));
        } finally {
            task.stop();
        }
    }

    private static List<List<Object>> rows(String table) {
        return postgres.query(
                PostgresFixture.TARGET,
                "SELECT id, holder, vin, premium, starts_on, updated_at, in_force, installments, lineage_source_key, "
                        + "lineage_source_position, lineage_deleted_at IS NULL FROM " + table + " ORDER BY id");
    }

    private static Struct policy(
            long id,
            String holder,
            String vin,
            String premium,
            Integer startsOnEpochDay,
            Long updatedAtMillis,
            boolean inForce,
            Integer installments) {
        return new Struct(POLICY)
                .put("id", id)
                .put("holder", holder)
                .put("vin", vin)
                .put("premium", premium == null ? null : new BigDecimal(premium))
                .put("starts_on", startsOnEpochDay == null ? null : new java.util.Date(startsOnEpochDay * 86_400_000L))
                .put("updated_at", updatedAtMillis == null ? null : new java.util.Date(updatedAtMillis))
                .put("in_force", inForce)
                .put("installments", installments);
    }

    private static long offset;

    private static SinkRecord change(long id, Struct value, long position) {
        SinkRecord record = new SinkRecord(
                "policy", 0, KEY, new Struct(KEY).put("id", id), value == null ? null : POLICY, value, offset++);
        record.headers().addLong(Field.SOURCE_POSITION.header(), position);
        record.headers().addString(Field.SOURCE_KEY.header(), "{\"id\":" + id + "}");
        return record;
    }
}
