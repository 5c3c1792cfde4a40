package io.rollingmigration.benchmarks.converter;

import io.rollingmigration.benchmarks.smt.CustomerEnvelope;
import io.rollingmigration.converter.CachedSchemaJsonConverter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Both converters reading and writing the value of a Debezium change event of a 20-column row, as a sink task and a
 * Debezium source task do: one schema object for all records, 64 different rows in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConverterBenchmarks {

    private static final int ROWS = 64;
    private static final String TOPIC = "legacy.public.customer";

    private final Converter stock = new JsonConverter();
    private final Converter ours = new CachedSchemaJsonConverter();
    private Schema schema;
    private final Object[] values = new Object[ROWS];
    private final byte[][] records = new byte[ROWS][];
    private int next;

    @Setup
    public void prepare() {
        stock.configure(Map.of("schemas.enable", "true"), false);
        ours.configure(Map.of("schemas.enable", "true"), false);
        for (int i = 0; i < ROWS; i++) {
            SourceRecord change = CustomerEnvelope.record(1_000 + i);
            schema = change.valueSchema();
            values[i] = change.value();
            records[i] = stock.fromConnectData(TOPIC, schema, values[i]);
        }
    }

    @Benchmark
    public SchemaAndValue readStock() {
        return stock.toConnectData(TOPIC, records[next++ & (ROWS - 1)]);
    }

    @Benchmark
    public SchemaAndValue readOurs() {
        return ours.toConnectData(TOPIC, records[next++ & (ROWS - 1)]);
    }

    @Benchmark
    public byte[] writeStock() {
        return stock.fromConnectData(TOPIC, schema, values[next++ & (ROWS - 1)]);
    }

    @Benchmark
    public byte[] writeOurs() {
        return ours.fromConnectData(TOPIC, schema, values[next++ & (ROWS - 1)]);
    }
}
