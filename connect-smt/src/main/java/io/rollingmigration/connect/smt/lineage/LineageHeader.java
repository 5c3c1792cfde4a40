package io.rollingmigration.connect.smt.lineage;

import java.util.Objects;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;

/**
 * One lineage header: a name, a string or int64 value and its schema in one small object. The transforms stamp nine
 * of them on every record, so they skip the two objects per header that Connect's own header class would make.
 */
final class LineageHeader implements Header {

    private final String key;
    private final Schema schema;
    private final Object value;

    private LineageHeader(String key, Schema schema, Object value) {
        this.key = key;
        this.schema = schema;
        this.value = value;
    }

    static LineageHeader text(String key, String value) {
        return new LineageHeader(key, Schema.STRING_SCHEMA, value);
    }

    static LineageHeader number(String key, long value) {
        return new LineageHeader(key, Schema.INT64_SCHEMA, value);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Object value() {
        return value;
    }

    @Override
    public Header with(Schema schema, Object value) {
        return new LineageHeader(key, schema, value);
    }

    @Override
    public Header rename(String key) {
        return new LineageHeader(key, schema, value);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Header)) {
            return false;
        }
        Header other = (Header) o;
        return key.equals(other.key())
                && Objects.equals(schema, other.schema())
                && Objects.equals(value, other.value());
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, schema, value);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
