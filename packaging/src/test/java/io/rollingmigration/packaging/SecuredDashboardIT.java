package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.testsupport.PostgresFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.login.Configuration;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard on a worker secured as an operator secures one: its REST API on an HTTPS listener only, behind
 * Kafka's basic authentication extension (on the worker's class path, where its JAAS login module must be; the
 * dashboard from plugin.path). The migration endpoints are behind both, a change is recorded with the principal the
 * authentication gave, and nothing served holds a password. The worker is
 * Connect's own distributed worker ({@link ConnectDistributed}, what {@code connect-distributed.sh} starts), since
 * the embedded test cluster always listens on plain HTTP.
 */
class SecuredDashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIT = "invoice";
    private static final String STORE_PASSWORD = "store-secret-7f3a";
    private static final String ALICE = "alice";
    private static final String ALICE_PASSWORD = "alice-secret-91c2";
    private static final String JAAS_PROPERTY = "java.security.auth.login.config";
    private static final List<String> TABLES = List.of(
            "secured_dashboard_ownership",
            "secured_dashboard_routing",
            "secured_dashboard_audit",
            "secured_dashboard_moves");

    private static Path work;
    private static EmbeddedKafkaCluster kafka;
    private static Connect<?> worker;
    private static URI base;
    private static HttpClient https;
    private static String jaasBefore;
    private static PostgresFixture postgres;

    @BeforeAll
    static void startASecuredWorker() throws Exception {
        postgres = PostgresFixture.shared();
        work = Files.createTempDirectory("secured-dashboard-");
        char[] storePassword = "keystore-secret".toCharArray();
        Path keystore = work.resolve("worker.p12");
        // The worker's certificate, for the name the client connects to.
        Process keytool = new ProcessBuilder(List.of(
                        Paths.get(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "worker",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        new String(storePassword)))
                .redirectErrorStream(true)
                .start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + keytoolOutput);
        }
        https = HttpClient.newBuilder()
                .sslContext(trusting(keystore, storePassword))
                .connectTimeout(Duration.ofSeconds(10))
                .build();

        Path users = work.resolve("users.properties");
        Files.writeString(users, ALICE + ": " + ALICE_PASSWORD + "\nbob: bob-secret-5d07\n");
        Path jaas = work.resolve("connect-jaas.conf");
        Files.writeString(
                jaas,
                "KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n"
                        + "  file=\"" + users + "\";\n};\n");
        jaasBefore = System.getProperty(JAAS_PROPERTY);
        System.setProperty(JAAS_PROPERTY, jaas.toString());
        Configuration.getConfiguration().refresh();

        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        Path plugins = ComponentArchives.installInto(Files.createDirectories(work.resolve("plugins")));
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", "secured-dashboard");
        props.put("config.storage.topic", "secured-dashboard-configs");
        props.put("offset.storage.topic", "secured-dashboard-offsets");
        props.put("status.storage.topic", "secured-dashboard-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("plugin.path", plugins.toString());
        props.put("plugin.discovery", "service_load");
        props.put("listeners", "https://localhost:0");
        props.put("listeners.https.ssl.keystore.location", keystore.toString());
        props.put("listeners.https.ssl.keystore.type", "PKCS12");
        props.put("listeners.https.ssl.keystore.password", new String(storePassword));
        props.put("listeners.https.ssl.key.password", new String(storePassword));
        props.put(
                "rest.extension.classes",
                "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension,"
                        + "io.rollingmigration.connect.dashboard.MigrationDashboard");
        String store = "migration.dashboard.store.billing.";
        props.put("migration.dashboard.stores", "billing");
        props.put(store + "units", UNIT);
        props.put(store + "connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        props.put(store + "connection.user", postgres.user());
        // The fixture's PostgreSQL trusts local connections: the password is never needed, only never shown.
        props.put(store + "connection.password", STORE_PASSWORD);
        props.put(store + "ownership.table", "public." + TABLES.get(0));
        props.put(store + "read.routing.table", "public." + TABLES.get(1));
        props.put(store + "audit.table", "public." + TABLES.get(2));
        props.put(store + "ownership.moves.table", "public." + TABLES.get(3));
        // The worker makes its plugin loader this thread's context loader; the tests after it get theirs back.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            worker = new ConnectDistributed().startConnect(props);
        } finally {
            Thread.currentThread().setContextClassLoader(loader);
        }
        base = worker.rest().serverUrl();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (worker != null) {
                worker.stop();
                worker.awaitStop();
            }
            if (kafka != null) {
                kafka.stop();
            }
        } finally {
            if (jaasBefore == null) {
                System.clearProperty(JAAS_PROPERTY);
            } else {
                System.setProperty(JAAS_PROPERTY, jaasBefore);
            }
            Configuration.getConfiguration().refresh();
            for (String table : TABLES) {
                postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS public." + table);
            }
            if (work != null) {
                try (Stream<Path> paths = Files.walk(work)) {
                    paths.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void theMigrationEndpointsAreServedOverTlsToAuthenticatedCallersOnly() throws Exception {
        assertEquals("https", base.getScheme(), "the worker's REST API: " + base);
        for (String path : List.of("/migration/status", "/migration/", "/migration/exit-criteria")) {
            assertEquals(401, send(get(path), null).statusCode(), path + " without credentials");
            assertEquals(
                    401,
                    send(get(path), basic(ALICE, "not-her-password")).statusCode(),
                    path + " with a wrong password");
            assertEquals(200, send(get(path), basic(ALICE, ALICE_PASSWORD)).statusCode(), path + " as alice");
        }
        // The same port spoken to in plain HTTP answers nothing useful.
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI insecure = URI.create("http://" + base.getHost() + ":" + base.getPort() + "/migration/status");
        int plainStatus;
        try {
            plainStatus = plain.send(
                            HttpRequest.newBuilder(insecure)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            plainStatus = -1;
        }
        assertNotEquals(200, plainStatus, "plain HTTP on the TLS listener");
    }

    @Test
    void aChangeIsRecordedWithTheAuthenticatedPrincipalAndAnUnauthenticatedOneChangesNothing() throws Exception {
        String body = "{\"owner\": \"TARGET\", \"reason\": \"EU invoices move to billing\", \"force\": true}";
        HttpResponse<String> anonymous = send(put("/migration/ownership/" + UNIT + "/EU", body), null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());

        HttpResponse<String> refused = send(
                put(
                        "/migration/ownership/" + UNIT + "/EU",
                        "{\"owner\": \"TARGET\", \"reason\": \"EU invoices move to billing\"}"),
                basic(ALICE, ALICE_PASSWORD));
        assertEquals(
                409, refused.statusCode(), "no lane reports on the unit, so the guard rails hold: " + refused.body());
        HttpResponse<String> forced =
                send(put("/migration/ownership/" + UNIT + "/EU", body), basic(ALICE, ALICE_PASSWORD));
        assertEquals(202, forced.statusCode(), "requested in the hand-over journal: " + forced.body());
        long move = JSON.readTree(forced.body()).path("move_id").asLong();

        HttpResponse<String> audit = send(get("/migration/audit/" + UNIT), basic(ALICE, ALICE_PASSWORD));
        assertEquals(200, audit.statusCode(), audit.body());
        JsonNode entries = JSON.readTree(audit.body()).path("entries");
        assertEquals(2, entries.size(), "the forced change and the refusal, not the anonymous try: " + entries);
        assertEquals("FORCED", entries.get(0).path("outcome").asText(), entries.toString());
        assertEquals(ALICE, entries.get(0).path("principal").asText(), entries.toString());
        assertEquals(move, entries.get(0).path("move_id").asLong(), entries.toString());
        assertEquals("REFUSED", entries.get(1).path("outcome").asText(), entries.toString());
        assertEquals(ALICE, entries.get(1).path("principal").asText(), entries.toString());
        JsonNode status = JSON.readTree(
                send(get("/migration/status"), basic(ALICE, ALICE_PASSWORD)).body());
        JsonNode moves = status.path("units").path(UNIT).path("ownership").path("moves");
        assertEquals(1, moves.size(), status.toString());
        assertTrue(
                moves.get(0).path("requested_by").asText().startsWith(ALICE + " (dashboard)"),
                "the journal names who asked: " + moves);
        assertEquals("REQUESTED", moves.get(0).path("status").asText(), moves.toString());
    }

    @Test
    void nothingServedHoldsAPassword() throws Exception {
        for (String path : List.of(
                "/migration/status",
                "/migration/",
                "/migration/exit-criteria",
                "/migration/history",
                "/migration/audit/" + UNIT)) {
            HttpResponse<String> response = send(get(path), basic(ALICE, ALICE_PASSWORD));
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            for (String secret : List.of(STORE_PASSWORD, ALICE_PASSWORD, "keystore-secret")) {
                assertFalse(response.body().contains(secret), path + " shows a password: " + response.body());
            }
        }
        HttpResponse<String> unknownUnit = send(
                put("/migration/ownership/payroll/EU", "{\"owner\": \"TARGET\", \"reason\": \"r\"}"),
                basic(ALICE, ALICE_PASSWORD));
        assertEquals(400, unknownUnit.statusCode(), unknownUnit.body());
        assertFalse(unknownUnit.body().contains(STORE_PASSWORD), unknownUnit.body());
        assertTrue(unknownUnit.body().contains("unit"), unknownUnit.body());
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15));
    }

    private static HttpRequest.Builder put(String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String authorization) throws Exception {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A client context that trusts the worker's certificate, as a client given the cluster's CA does. */
    private static SSLContext trusting(Path keystore, char[] password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("worker", keys.getCertificate("worker"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
