package io.rollingmigration.benchmarks.smt;

import io.rollingmigration.benchmarks.PeerPlugins;
import io.rollingmigration.connect.smt.translate.TranslateAggregate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Cast;
import org.apache.kafka.connect.transforms.InsertField;
import org.apache.kafka.connect.transforms.InsertHeader;
import org.apache.kafka.connect.transforms.ReplaceField;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.ValueToKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One translation per invocation: our TranslateAggregate (spec with a value map, UUIDv5 key, decimals, timestamps,
 * a dropped column, lineage headers) against the chain of stock transforms that does as much of that job as it can
 * (it cannot map values or derive UUID keys).
 */
@State(Scope.Thread)
public class TranslationBenchmarks {

    private static final int RECORDS = 1024;

    private SourceRecord[] records;
    private int next;
    private TranslateAggregate<SourceRecord> ours;
    private List<Transformation<SourceRecord>> chain;

    @Setup(Level.Trial)
    public void setUp() {
        records = new SourceRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = CustomerEnvelope.record(i + 1);
        }
        ours = new TranslateAggregate<>();
        ours.configure(Map.of("spec", CustomerEnvelope.SPEC, "aggregate", "customer"));
        chain = stockChain();
    }

    static List<Transformation<SourceRecord>> stockChain() {
        Transformation<SourceRecord> unwrap = PeerPlugins.newInstance(
                PeerPlugins.POSTGRES_CONNECTOR, "io.debezium.transforms.ExtractNewRecordState", Transformation.class);
        unwrap.configure(Map.of("add.headers", "db,table,lsn,ts_ms,op"));
        ReplaceField<SourceRecord> replace = new ReplaceField.Value<>();
        replace.configure(Map.of("exclude", "fax", "renames", "cust_type:kind,id:legacy_id"));
        Cast<SourceRecord> cast = new Cast.Value<>();
        cast.configure(Map.of("spec", "legacy_id:string"));
        InsertField<SourceRecord> insert = new InsertField.Value<>();
        insert.configure(Map.of("static.field", "migrated_by", "static.value", "rolling-migration"));
        ValueToKey<SourceRecord> toKey = new ValueToKey<>();
        toKey.configure(Map.of("fields", "legacy_id"));
        InsertHeader<SourceRecord> rule = new InsertHeader<>();
        rule.configure(Map.of("header", "lineage.rule", "value.literal", "bench-customer@1"));
        return List.of(unwrap, replace, cast, insert, toKey, rule);
    }

    /**
     * The next input, with headers of its own: a transform may add headers to its input record (Debezium's
     * ExtractNewRecordState does), and reused inputs would then grow with every pass and distort the measurement.
     */
    private SourceRecord nextRecord() {
        SourceRecord record = records[next];
        next = (next + 1) & (RECORDS - 1);
        return record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                record.keySchema(),
                record.key(),
                record.valueSchema(),
                record.value(),
                record.timestamp(),
                new ConnectHeaders());
    }

    @Benchmark
    public SourceRecord translateAggregate() {
        return ours.apply(nextRecord());
    }

    @Benchmark
    public SourceRecord stockTransformChain() {
        SourceRecord record = nextRecord();
        for (Transformation<SourceRecord> transform : chain) {
            record = transform.apply(record);
        }
        return record;
    }
}
