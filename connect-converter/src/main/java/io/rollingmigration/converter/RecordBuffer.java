package io.rollingmigration.converter;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The bytes of the record being written, kept from one record to the next on the writing thread, so that writing a
 * record allocates its result and little else. A buffer grown past {@link #KEPT_CAPACITY} by one large record is
 * not kept.
 */
final class RecordBuffer extends OutputStream {

    private static final int KEPT_CAPACITY = 1 << 20;
    private static final ThreadLocal<RecordBuffer> PER_THREAD = ThreadLocal.withInitial(RecordBuffer::new);

    private byte[] bytes = new byte[8 * 1024];
    private int size;

    private RecordBuffer() {}

    /** The calling thread's buffer, emptied. */
    static RecordBuffer forThisThread() {
        RecordBuffer buffer = PER_THREAD.get();
        if (buffer.bytes.length > KEPT_CAPACITY) {
            buffer.bytes = new byte[8 * 1024];
        }
        buffer.size = 0;
        return buffer;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
