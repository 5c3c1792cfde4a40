package io.rollingmigration.connect.common.ownership;

/** Who owns writes for one partition (tenant, region...) of a migration unit. */
public enum Owner {
    /** The legacy system still owns writes: its changes captured by CDC are applied to the target. */
    LEGACY,
    /** The target service owns writes: CDC changes are not applied, and each one is reported as drift. */
    TARGET;

    /** The other owner: who owned the partition before it moved to this one. */
    public Owner previous() {
        return this == LEGACY ? TARGET : LEGACY;
    }
}
