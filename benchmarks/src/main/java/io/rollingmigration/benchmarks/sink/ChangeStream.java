package io.rollingmigration.benchmarks.sink;

import io.rollingmigration.connect.common.lineage.Lineage.Field;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The same stream of customer changes for every contender, generated batch by batch from a seed so memory stays
 * flat: about 10 columns, 10% updates of earlier keys, 1% duplicate deliveries, the rest inserts.
 */
final class ChangeStream {

    static final Schema KEY = SchemaBuilder.struct()
            .name("bench.Key")
            .field("id", Schema.INT64_SCHEMA)
            .build();
    static final Schema VALUE = SchemaBuilder.struct()
            .name("bench.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("balance", Decimal.builder(2).build())
            .field("created", Date.builder().optional().build())
            .field("updated_at", Timestamp.SCHEMA)
            .field("score", Schema.FLOAT64_SCHEMA)
            .field("active", Schema.BOOLEAN_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final String COLUMNS = "id, name, email, status, balance, created, updated_at, score, active, note";
    private static final long EPOCH = 1_750_000_000_000L;

    private final int total;
    private final String topic;
    private final SplittableRandom random = new SplittableRandom(42);
    private int produced;
    private long nextId = 1;
    private SinkRecord previous;
    private long updates;
    private long duplicates;

    ChangeStream(int total, String topic) {
        this.total = total;
        this.topic = topic;
    }

    boolean hasNext() {
        return produced < total;
    }

    List<SinkRecord> nextBatch(int size) {
        List<SinkRecord> batch = new ArrayList<>(size);
        while (batch.size() < size && produced < total) {
            batch.add(next());
        }
        return batch;
    }

    /** A change as CSV for COPY: the values the record carries. */
    static String csvRow(SinkRecord record) {
        Struct value = (Struct) record.value();
        StringBuilder row = new StringBuilder(160);
        row.append(value.getInt64("id"))
                .append(',')
                .append(value.getString("name"))
                .append(',')
                .append(value.getString("email"))
                .append(',')
                .append(value.getString("status"))
                .append(',')
                .append(((BigDecimal) value.get("balance")).toPlainString())
                .append(',')
                .append(new java.sql.Date(((java.util.Date) value.get("created")).getTime()))
                .append(',')
                .append(new java.sql.Timestamp(((java.util.Date) value.get("updated_at")).getTime()))
                .append(',')
                .append(value.getFloat64("score"))
                .append(',')
                .append(value.getBoolean("active"))
                .append(',')
                .append(value.getString("note"))
                .append('\n');
        return row.toString();
    }

    long updates() {
        return updates;
    }

    long duplicates() {
        return duplicates;
    }

    private SinkRecord next() {
        int offset = produced++;
        int dice = random.nextInt(100);
        if (previous != null && dice == 0) {
            duplicates++;
            SinkRecord again = new SinkRecord(topic, 0, KEY, previous.key(), VALUE, previous.value(), offset);
            previous.headers().forEach(h -> again.headers().add(h));
            return again;
        }
        long id;
        if (nextId > 1000 && dice <= 10) {
            updates++;
            id = 1 + random.nextLong(nextId - 1);
        } else {
            id = nextId++;
        }
        long version = offset + 1L;
        long time = EPOCH + offset;
        Struct value = new Struct(VALUE)
                .put("id", id)
                .put("name", "Customer " + id)
                .put("email", "customer" + id + "@example.com")
                .put("status", dice % 3 == 0 ? "B" : "P")
                .put("balance", BigDecimal.valueOf(random.nextLong(10_000_000), 2))
                .put("created", new java.util.Date((EPOCH / 86_400_000L - id % 1000) * 86_400_000L))
                .put("updated_at", new java.util.Date(time))
                .put("score", random.nextDouble())
                .put("active", (id & 1) == 0)
                .put("note", "migrated from the legacy crm in batch " + (offset / 1000));
        SinkRecord record = new SinkRecord(topic, 0, KEY, new Struct(KEY).put("id", id), VALUE, value, offset);
        record.headers()
                .addLong(Field.SOURCE_POSITION.header(), version)
                .addLong(Field.SOURCE_COMMIT_TIME.header(), time)
                .addString(Field.SOURCE_SYSTEM.header(), "legacy")
                .addString(Field.SOURCE_TABLE.header(), "public.customer")
                .addString(Field.SOURCE_KEY.header(), "{\"id\":" + id + "}")
                .addString(Field.OPERATION.header(), "UPDATE")
                .addString(Field.SNAPSHOT.header(), "false")
                .addString(Field.RULE.header(), "customer@1")
                .addLong(Field.TRANSLATED_AT.header(), time);
        previous = record;
        return record;
    }
}
