package io.rollingmigration.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small status page on localhost: the latest {@link MigrationStatus} and its recent history as JSON
 * ({@code /status.json}), and an HTML page that shows the figures and a lag and drift chart ({@code /}).
 */
public final class StatusPage implements AutoCloseable {

    private static final int HISTORY = 360;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Deque<MigrationStatus> history = new ArrayDeque<>();
    private final byte[] page;

    private StatusPage(HttpServer server, byte[] page) {
        this.server = server;
        this.page = page;
    }

    /** Serves on the loopback interface, on {@code port} (0: any free port). */
    public static StatusPage start(int port) throws IOException {
        byte[] page;
        try (InputStream in = StatusPage.class.getResourceAsStream("/sandbox/status.html")) {
            if (in == null) {
                throw new IOException("sandbox/status.html is missing from the classpath");
            }
            page = in.readAllBytes();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        StatusPage status = new StatusPage(server, page);
        server.createContext("/status.json", status::json);
        server.createContext("/", status::html);
        server.start();
        return status;
    }

    public URI url() {
        return URI.create("http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + "/");
    }

    public synchronized void record(MigrationStatus status) {
        history.addLast(status);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    private void html(HttpExchange exchange) throws IOException {
        respond(exchange, "text/html; charset=utf-8", page);
    }

    private void json(HttpExchange exchange) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        List<MigrationStatus> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(history);
        }
        MigrationStatus latest = snapshot.isEmpty() ? null : snapshot.get(snapshot.size() - 1);
        if (latest != null) {
            Map<String, Object> now = new LinkedHashMap<>();
            now.put("takenAt", latest.takenAt());
            now.put("legacyRows", latest.legacyRows());
            now.put("targetRows", latest.targetRows());
            now.put("backfillPercent", latest.backfillPercent());
            now.put("lagP50Ms", latest.lagP50Ms());
            now.put("lagP99Ms", latest.lagP99Ms());
            now.put("applied", latest.applied());
            now.put("skipped", latest.skipped());
            now.put("failed", latest.failed());
            now.put("openDrift", latest.openDrift());
            now.put("alignmentPercent", latest.alignmentPercent());
            now.put("ownership", latest.ownership());
            ReadShiftStatus reads = latest.readShift();
            Map<String, Object> readShift = new LinkedHashMap<>();
            readShift.put("hasData", reads.hasData());
            readShift.put("plan", reads.plan());
            readShift.put("alignmentPercent", reads.alignmentPercent());
            readShift.put("compared", reads.compared());
            readShift.put("servicePercentByRegion", reads.servicePercentByRegion());
            readShift.put("servicePercentByConsumer", reads.servicePercentByConsumer());
            readShift.put("consumersOnLegacy", reads.consumersOnLegacy());
            now.put("readShift", readShift);
            body.put("latest", now);
        }
        List<Map<String, Object>> points = new ArrayList<>();
        for (MigrationStatus status : snapshot) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("t", status.takenAt());
            point.put("lagP99Ms", status.lagP99Ms());
            point.put("openDrift", status.openDriftTotal());
            // The lowest shadow alignment of any region, where reads are compared; absent, not zero, before.
            status.readShift().alignmentPercent().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .min()
                    .ifPresent(lowest -> point.put("readAlignment", lowest));
            points.add(point);
        }
        body.put("history", points);
        respond(exchange, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void respond(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
