package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.ownership.OwnershipGate;
import java.util.function.Function;

/**
 * The partitions the service owns, where the reverse direction takes its store for the truth: read from the same
 * ownership control table the lanes obey, through the aggregate's ownership field.
 */
public final class OwnedPartitions {

    private final String field;
    private final Function<String, Owner> owners;

    /**
     * @param field  the aggregate's ownership field
     * @param owners the owner of writes of a partition value ({@code null} for rows without one) now
     */
    public OwnedPartitions(String field, Function<String, Owner> owners) {
        this.field = field;
        this.owners = owners;
    }

    public static OwnedPartitions of(String field, OwnershipGate gate) {
        return new OwnedPartitions(field, gate::ownerOf);
    }

    /** The aggregate's field whose value names the partition. */
    public String field() {
        return field;
    }

    /** True if the service owns the writes of this partition value. */
    public boolean covers(Object partitionValue) {
        return owners.apply(partitionValue == null ? null : partitionValue.toString()) == Owner.TARGET;
    }
}
