package io.rollingmigration.connect.common.status;

import io.rollingmigration.connect.common.spec.TranslationFailure;

/**
 * What a rejected record is counted under on the dashboard: a bounded name, never a value from the record. The
 * field of the spec a translation failed at; else the code a message starts with ({@code
 * LEGACY_WRITE_AFTER_CUTOVER: ...}); else the exception's class.
 */
public final class FailureReason {

    private FailureReason() {}

    public static String of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TranslationFailure translation) {
                return translation.path();
            }
        }
        String message = failure.getMessage();
        if (message != null) {
            int colon = message.indexOf(':');
            String head = colon > 0 ? message.substring(0, colon) : "";
            if (head.matches("[A-Z][A-Z0-9_]{2,63}")) {
                return head;
            }
        }
        return failure.getClass().getSimpleName();
    }
}
