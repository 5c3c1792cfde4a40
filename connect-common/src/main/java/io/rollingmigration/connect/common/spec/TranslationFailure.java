package io.rollingmigration.connect.common.spec;

import org.apache.kafka.connect.errors.DataException;

/**
 * A record that a field of the spec could not translate. A {@link DataException}, so Connect's error handling (the
 * dead letter queue) treats it as any bad record; it names the field's path in the spec, which is what the
 * dashboard counts failures by.
 */
public final class TranslationFailure extends DataException {

    private final String path;

    public TranslationFailure(String path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The field's path in the spec ({@code aggregates.policy.fields.status}). */
    public String path() {
        return path;
    }
}
