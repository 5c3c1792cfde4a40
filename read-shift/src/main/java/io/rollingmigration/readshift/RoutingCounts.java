package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.ownership.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How many reads each consumer made, per unit, partition and mode, and which store answered them, since start. */
public final class RoutingCounts {

    /** One counter's coordinates. */
    public record Route(String unit, String partition, String consumer, ReadMode mode, Owner answeredBy) {}

    /** A counter's value. */
    public record Count(Route route, long reads) {}

    private final Map<Route, LongAdder> counts = new ConcurrentHashMap<>();

    void count(RouteDecision decision) {
        counts.computeIfAbsent(
                        new Route(
                                decision.unit(),
                                decision.partition(),
                                decision.consumer(),
                                decision.mode(),
                                decision.answeredBy()),
                        route -> new LongAdder())
                .increment();
    }

    /** Every counter, as it stands. */
    public List<Count> snapshot() {
        List<Count> snapshot = new ArrayList<>(counts.size());
        counts.forEach((route, adder) -> snapshot.add(new Count(route, adder.sum())));
        return snapshot;
    }
}
