package io.rollingmigration.converter;

import java.util.Arrays;

/**
 * The bytes of a schema as it appeared in an envelope, compared byte for byte. A probe points into the record being
 * read (nothing is copied to look a schema up); what the cache keeps is a copy.
 */
final class SchemaBytes {

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final int hash;

    private SchemaBytes(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        this.hash = h;
    }

    static SchemaBytes probe(byte[] record, int offset, int length) {
        return new SchemaBytes(record, offset, length);
    }

    SchemaBytes copy() {
        return new SchemaBytes(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
    }

    int length() {
        return length;
    }

    /** Whether {@code record} holds exactly these bytes at {@code at}. */
    boolean foundIn(byte[] record, int at) {
        return Envelope.holds(record, at, bytes, offset, length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchemaBytes other
                && other.hash == hash
                && Arrays.equals(bytes, offset, offset + length, other.bytes, other.offset, other.offset + length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
