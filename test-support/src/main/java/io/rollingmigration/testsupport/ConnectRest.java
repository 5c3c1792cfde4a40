package io.rollingmigration.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Connect REST API as an operator uses it: plain HTTP and JSON, no Connect classes. Tests drive connectors
 * through this, so what they prove holds for {@code curl} too.
 */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ConnectRest(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /** {@code GET /connector-plugins}: the class names of the loaded connector plugins. */
    public List<String> connectorPlugins() {
        return classes(get("connector-plugins"));
    }

    /** {@code GET /connector-plugins?connectorsOnly=false}: every plugin class, transforms and predicates too. */
    public List<String> allPlugins() {
        return classes(get("connector-plugins?connectorsOnly=false"));
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}. */
    public Validation validate(String connectorClass, Map<String, String> config) {
        Map<String, String> body = new LinkedHashMap<>(config);
        body.putIfAbsent("connector.class", connectorClass);
        body.putIfAbsent("name", "validation-only");
        String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        return new Validation(send("PUT", "connector-plugins/" + encode(simpleName) + "/config/validate", body, 200));
    }

    /** {@code PUT /connectors/{name}/config}: creates or reconfigures. */
    public JsonNode putConnector(String name, Map<String, String> config) {
        return send("PUT", "connectors/" + encode(name) + "/config", config, -1);
    }

    public void deleteConnector(String name) {
        send("DELETE", "connectors/" + encode(name), null, -1);
    }

    /** Stops a connector and its tasks, keeping its config (KIP-875); offsets can then be altered or reset. */
    public void stopConnector(String name) {
        send("PUT", "connectors/" + encode(name) + "/stop", null, -1);
    }

    public void resumeConnector(String name) {
        send("PUT", "connectors/" + encode(name) + "/resume", null, -1);
    }

    /** Resets a stopped connector's offsets: a sink then reads its topics from the beginning again. */
    public void resetOffsets(String name) {
        send("DELETE", "connectors/" + encode(name) + "/offsets", null, -1);
    }

    public JsonNode status(String name) {
        return get("connectors/" + encode(name) + "/status");
    }

    /** Waits until the connector and {@code tasks} tasks run; fails early with the trace if a task failed. */
    public void awaitRunning(String name, int tasks, Duration timeout) {
        Await.until(timeout, "connector " + name + " and " + tasks + " task(s) RUNNING", () -> {
            JsonNode status = status(name);
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    throw new AssertionError(
                            "Task of " + name + " failed: " + task.path("trace").asText());
                }
            }
            if ("FAILED".equals(status.path("connector").path("state").asText())) {
                throw new AssertionError("Connector " + name + " failed: "
                        + status.path("connector").path("trace").asText());
            }
            long running = 0;
            for (JsonNode task : status.path("tasks")) {
                if ("RUNNING".equals(task.path("state").asText())) {
                    running++;
                }
            }
            return "RUNNING".equals(status.path("connector").path("state").asText()) && running == tasks;
        });
    }

    /** Restarts the connector's failed tasks, as an operator does once the cause is gone. */
    public void restartFailedTasks(String name) {
        send("POST", "/connectors/" + name + "/restart?includeTasks=true&onlyFailed=true", null, -1);
    }

    public JsonNode get(String path) {
        return send("GET", path, null, 200);
    }

    private JsonNode send(String method, String path, Object body, int expectedStatus) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(90))
                    .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            boolean ok = expectedStatus < 0 ? status / 100 == 2 : status == expectedStatus;
            if (!ok) {
                throw new ConnectRestException(
                        method + " " + path + " answered " + status + ": " + response.body(), status);
            }
            String text = response.body();
            return text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + path, e);
        }
    }

    private static List<String> classes(JsonNode plugins) {
        List<String> names = new ArrayList<>();
        plugins.forEach(p -> names.add(p.path("class").asText()));
        return names;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What the validate endpoint said, per config key. */
    public static final class Validation {
        private final JsonNode body;

        Validation(JsonNode body) {
            this.body = body;
        }

        public int errorCount() {
            return body.path("error_count").asInt();
        }

        /** The error messages reported on one key (empty if none, or if the key is unknown to the connector). */
        public List<String> errorsOn(String key) {
            List<String> errors = new ArrayList<>();
            for (JsonNode config : body.path("configs")) {
                if (key.equals(config.path("value").path("name").asText())) {
                    config.path("value").path("errors").forEach(e -> errors.add(e.asText()));
                }
            }
            return errors;
        }

        /** Every key with at least one error, with its messages. */
        public Map<String, List<String>> errors() {
            Map<String, List<String>> all = new LinkedHashMap<>();
            for (JsonNode config : body.path("configs")) {
                JsonNode errors = config.path("value").path("errors");
                if (errors.size() > 0) {
                    List<String> messages = new ArrayList<>();
                    errors.forEach(e -> messages.add(e.asText()));
                    all.put(config.path("value").path("name").asText(), messages);
                }
            }
            return all;
        }

        public JsonNode body() {
            return body;
        }

        @Override
        public String toString() {
            return errorCount() + " error(s): " + errors();
        }
    }

    /** A non-2xx answer, with its status so tests can tell a 400 from a 500. */
    public static final class ConnectRestException extends RuntimeException {
        private final int status;

        ConnectRestException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
