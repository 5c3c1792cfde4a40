package io.rollingmigration.sandbox;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The facade's clients: a web portal reading customers of both regions, a support desk reading EU customers and a
 * billing batch reading US customers, at a steady rate, each read by id of a customer the legacy table holds.
 */
final class ReadTraffic implements Runnable {

    private record Client(String consumer, String region) {}

    private static final List<Client> CLIENTS = List.of(
            new Client("web-portal", "EU"),
            new Client("web-portal", "US"),
            new Client("support-desk", "EU"),
            new Client("billing-batch", "US"));

    private final CustomerFacade facade;
    private final LegacyDatabase legacy;
    private final int readsPerSecond;
    private final SplittableRandom random = new SplittableRandom();
    private final AtomicLong reads = new AtomicLong();
    private volatile boolean running = true;

    ReadTraffic(CustomerFacade facade, LegacyDatabase legacy, int readsPerSecond) {
        this.facade = facade;
        this.legacy = legacy;
        this.readsPerSecond = readsPerSecond;
    }

    long reads() {
        return reads.get();
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long pauseMillis = Math.max(1, 1000 / Math.max(1, readsPerSecond));
        List<List<Object>> customers = List.of();
        long listedAt = 0;
        while (running) {
            try {
                if (System.currentTimeMillis() - listedAt > 10_000) {
                    customers = legacy.query("SELECT id, region FROM " + legacy.table());
                    listedAt = System.currentTimeMillis();
                }
                Client client = CLIENTS.get(random.nextInt(CLIENTS.size()));
                List<List<Object>> ofRegion = customers.stream()
                        .filter(row -> client.region().equals(row.get(1)))
                        .toList();
                if (!ofRegion.isEmpty()) {
                    long id = ((Number) ofRegion.get(random.nextInt(ofRegion.size()))
                                    .get(0))
                            .longValue();
                    facade.customer(client.region(), id, client.consumer());
                    reads.incrementAndGet();
                }
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // A read that failed failed for its client; the facade's next read goes on.
            }
        }
    }
}
