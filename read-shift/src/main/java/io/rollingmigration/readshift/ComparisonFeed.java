package io.rollingmigration.readshift;

import java.util.List;

/** Where shadowed reads and routing counts go: a Kafka topic ({@link KafkaComparisonFeed}), or a test's list. */
public interface ComparisonFeed extends AutoCloseable {

    /** Called off the request path, once per shadowed read. Must not throw. */
    void comparison(ComparisonRecord record);

    /** The routing counters since start, published every counting interval. Must not throw. */
    void routing(List<RoutingCounts.Count> counts, long atMillis);

    @Override
    default void close() {}

    /** A feed that keeps nothing. */
    static ComparisonFeed none() {
        return new ComparisonFeed() {
            @Override
            public void comparison(ComparisonRecord record) {}

            @Override
            public void routing(List<RoutingCounts.Count> counts, long atMillis) {}
        };
    }
}
