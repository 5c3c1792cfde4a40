package io.rollingmigration.connect.common.spec;

/**
 * A spec function that cannot compute its result for the values it was given. The message names the function and
 * the value's type; the value itself is kept apart, so that a field the spec masks can report the failure without
 * it.
 */
final class FunctionFailure extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final transient Object value;

    FunctionFailure(String message, Object value) {
        super(message);
        this.value = value;
    }

    /** The offending value, or {@code null} when the message needs none. */
    Object value() {
        return value;
    }

    /** The message, with the value unless it must stay hidden. */
    String describe(boolean masked) {
        if (value == null) {
            return getMessage();
        }
        return getMessage() + (masked ? " (value masked)" : ": '" + value + "'");
    }
}
