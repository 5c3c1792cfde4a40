package io.rollingmigration.connect.common.spec;

/** A mapping spec that cannot be used, with the path inside the spec where the problem is. */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String path;

    public SpecException(String path, String message) {
        super(path.isEmpty() ? message : path + ": " + message);
        this.path = path;
    }

    public SpecException(String path, String message, Throwable cause) {
        super(path.isEmpty() ? message : path + ": " + message, cause);
        this.path = path;
    }

    /** Where in the spec, e.g. {@code aggregates.party.fields.kind.map}. */
    public String path() {
        return path;
    }
}
