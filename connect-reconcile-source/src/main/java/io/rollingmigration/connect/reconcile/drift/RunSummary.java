package io.rollingmigration.connect.reconcile.drift;

/** The figures of one sweep. */
public final class RunSummary {

    private final String runId;
    private final long legacyRows;
    private final long targetRows;
    private final long matched;
    private final long missingInTarget;
    private final long unexpectedInTarget;
    private final long fieldMismatch;
    private final long startedAt;
    private final long finishedAt;

    public RunSummary(String runId, long legacyRows, long targetRows, long matched, long missingInTarget,
                      long unexpectedInTarget, long fieldMismatch, long startedAt, long finishedAt) {
        this.runId = runId;
        this.legacyRows = legacyRows;
        this.targetRows = targetRows;
        this.matched = matched;
        this.missingInTarget = missingInTarget;
        this.unexpectedInTarget = unexpectedInTarget;
        this.fieldMismatch = fieldMismatch;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
    }

    public String runId() {
        return runId;
    }

    public long legacyRows() {
        return legacyRows;
    }

    public long targetRows() {
        return targetRows;
    }

    /** Distinct keys looked at: every legacy key plus every target key without a legacy row. */
    public long compared() {
        return legacyRows + unexpectedInTarget;
    }

    public long matched() {
        return matched;
    }

    public long missingInTarget() {
        return missingInTarget;
    }

    public long unexpectedInTarget() {
        return unexpectedInTarget;
    }

    public long fieldMismatch() {
        return fieldMismatch;
    }

    public long differences() {
        return missingInTarget + unexpectedInTarget + fieldMismatch;
    }

    public long startedAt() {
        return startedAt;
    }

    public long finishedAt() {
        return finishedAt;
    }
}
