package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.lane.IdMapping;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/** The id-mapping table in legacy, read in short read-only transactions of the reconciler's legacy session. */
public final class IdMappingLookup {

    private final Session session;
    private final IdMapping mapping;

    public IdMappingLookup(Session session, IdMapping mapping) {
        this.session = session;
        this.mapping = mapping;
    }

    /** The service id of each legacy id the table knows. */
    public Map<String, String> targetIds(Collection<String> legacyIds) throws SQLException {
        if (legacyIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = mapping.targetIds(session.connection(), legacyIds);
        session.endTransaction();
        return found;
    }

    /** The legacy id of each service id the table knows. */
    public Map<String, String> legacyIds(Collection<String> targetIds) throws SQLException {
        if (targetIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = mapping.legacyIds(session.connection(), targetIds);
        session.endTransaction();
        return found;
    }
}
