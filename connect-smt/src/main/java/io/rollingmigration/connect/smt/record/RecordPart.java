package io.rollingmigration.connect.smt.record;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;

/** Which part of a record a Key or Value variant of a transform works on. */
public enum RecordPart {
    KEY {
        @Override
        public Schema schema(ConnectRecord<?> record) {
            return record.keySchema();
        }

        @Override
        public Object value(ConnectRecord<?> record) {
            return record.key();
        }

        @Override
        public <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object value) {
            return record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    schema,
                    value,
                    record.valueSchema(),
                    record.value(),
                    record.timestamp(),
                    record.headers());
        }
    },
    VALUE {
        @Override
        public Schema schema(ConnectRecord<?> record) {
            return record.valueSchema();
        }

        @Override
        public Object value(ConnectRecord<?> record) {
            return record.value();
        }

        @Override
        public <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object value) {
            return record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    record.keySchema(),
                    record.key(),
                    schema,
                    value,
                    record.timestamp(),
                    record.headers());
        }
    };

    public abstract Schema schema(ConnectRecord<?> record);

    public abstract Object value(ConnectRecord<?> record);

    /** A copy of the record with this part replaced. */
    public abstract <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object value);
}
