package io.rollingmigration.connect.smt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.smt.lineage.DebeziumEventsAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class PseudonymizeTest {

    private static final Schema PERSON = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static Pseudonymize<SourceRecord> transform(Map<String, String> overrides) {
        Pseudonymize<SourceRecord> transform = new Pseudonymize.Value<>();
        Map<String, String> config = new HashMap<>(Map.of("fields", "name,email", "secret", "k"));
        config.putAll(overrides);
        transform.configure(config);
        return transform;
    }

    private static SourceRecord person(String name, String email) {
        return new SourceRecord(
                Map.of(),
                Map.of(),
                "t",
                0,
                null,
                null,
                PERSON,
                new Struct(PERSON).put("id", 1L).put("name", name).put("email", email));
    }

    private static String hmac(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void replacesFieldsWithTheKeyedHmacSoJoinsStillWork() throws Exception {
        Struct first = (Struct)
                transform(Map.of()).apply(person("alice", "alice@example.com")).value();
        Struct again = (Struct)
                transform(Map.of()).apply(person("alice", "bob@example.com")).value();

        assertEquals(hmac("k", "alice"), first.getString("name"));
        assertEquals(first.getString("name"), again.getString("name"), "deterministic");
        assertEquals(1L, first.getInt64("id"), "other fields untouched");
        assertNotEquals(
                first.getString("name"),
                ((Struct) transform(Map.of("secret", "other key"))
                                .apply(person("alice", null))
                                .value())
                        .getString("name"),
                "another key, another token");
    }

    @Test
    void emailFormatKeepsTheDomainAndLengthTruncates() throws Exception {
        Struct value = (Struct) transform(Map.of("format", "email", "token.length", "16"))
                .apply(person("alice", "alice@example.com"))
                .value();

        assertEquals(hmac("k", "alice").substring(0, 16) + "@example.com", value.getString("email"));
        assertEquals(hmac("k", "alice").substring(0, 16), value.getString("name"), "no '@': the plain token");
    }

    @Test
    void nullsStayNullAndSchemalessMapsWork() {
        assertNull(((Struct) transform(Map.of()).apply(person(null, null)).value()).get("name"));
        SourceRecord map = new SourceRecord(
                Map.of(),
                Map.of(),
                "t",
                0,
                null,
                null,
                null,
                new HashMap<>(Map.of("name", "alice", "email", "a@b.c", "id", 1)));
        @SuppressWarnings("unchecked")
        Map<String, Object> out =
                (Map<String, Object>) transform(Map.of()).apply(map).value();
        assertEquals(64, out.get("name").toString().length());
        assertEquals(1, out.get("id"));
    }

    @Test
    void insideADebeziumEventBothRowsArePseudonymized() {
        Pseudonymize<SourceRecord> transform = new Pseudonymize.Value<>();
        transform.configure(Map.of("fields", "name", "secret", "k"));
        SourceRecord event = DebeziumEventsAccess.update(3, "Old Name", "New Name");

        Struct envelope = (Struct) transform.apply(event).value();

        String before = envelope.getStruct("before").getString("name");
        String after = envelope.getStruct("after").getString("name");
        assertEquals(64, before.length());
        assertNotEquals(before, after);
        assertEquals("u", envelope.getString("op"));
    }

    @Test
    void errorsNameTheFieldAndNeverTheSecret() {
        Schema numeric =
                SchemaBuilder.struct().field("name", Schema.INT32_SCHEMA).build();
        Pseudonymize<SourceRecord> transform = new Pseudonymize.Value<>();
        transform.configure(Map.of("fields", "name", "secret", "s3cr3t-value"));
        DataException wrongType = assertThrows(
                DataException.class,
                () -> transform.apply(new SourceRecord(
                        Map.of(), Map.of(), "t", 0, null, null, numeric, new Struct(numeric).put("name", 5))));
        assertTrue(wrongType.getMessage().contains("'name'"), wrongType.getMessage());
        assertFalse(wrongType.getMessage().contains("s3cr3t"), wrongType.getMessage());

        DataException missing = assertThrows(
                DataException.class, () -> transform(Map.of("fields", "phone")).apply(person("a", "b")));
        assertTrue(missing.getMessage().contains("'phone'"), missing.getMessage());

        assertThrows(
                ConfigException.class,
                () -> new Pseudonymize.Value<SourceRecord>().configure(Map.of("fields", "name")));
    }

    @Test
    void theKeyVariantWorksOnKeys() {
        Pseudonymize<SourceRecord> transform = new Pseudonymize.Key<>();
        transform.configure(Map.of("fields", "email", "secret", "k"));
        SourceRecord record = new SourceRecord(
                Map.of(),
                Map.of(),
                "t",
                0,
                PERSON,
                new Struct(PERSON).put("id", 1L).put("email", "a@b.c"),
                null,
                null);
        assertEquals(
                64, ((Struct) transform.apply(record).key()).getString("email").length());
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        String guide =
                Files.readString(Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-smt.md"));
        for (String key : Pseudonymize.CONFIG_DEF.names()) {
            assertTrue(guide.contains("`" + key + "`"), "docs/connect-smt.md documents `" + key + "`");
        }
    }
}
