package io.rollingmigration.readshift;

import java.util.List;
import java.util.Map;

/**
 * What the service read gave: the caller's response, and the aggregates in it, field to value as the service's
 * store holds them (the lineage columns, where the service passes them on, tell which legacy commit a row reflects).
 *
 * @param response   what the facade answers its client with when the service answers
 * @param aggregates the aggregates read
 */
public record ServiceAnswer<R>(R response, List<Map<String, Object>> aggregates) {

    public ServiceAnswer {
        aggregates = List.copyOf(aggregates);
    }

    public static <R> ServiceAnswer<R> of(R response, List<Map<String, Object>> aggregates) {
        return new ServiceAnswer<>(response, aggregates);
    }
}
