package io.rollingmigration.connect.smt.privacy;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.smt.record.RecordPart;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Replaces personal data with keyed HMAC-SHA256 tokens: the same input always yields the same token, so joins and
 * de-duplication across topics keep working, but without the key the input cannot be recovered or guessed by
 * hashing candidates. Connect's {@code MaskField} replaces values with a constant, which breaks joins.
 *
 * <p>String fields stay strings, so a struct's schema is unchanged and nothing needs caching per schema.
 */
public abstract class Pseudonymize<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    public static final String OVERVIEW_DOC = "Replaces the configured string fields with deterministic keyed "
            + "HMAC-SHA256 tokens (hex), optionally keeping an e-mail address's domain. Works on structs, maps and the "
            + "before/after rows of Debezium change events.";

    interface ConfigName {
        String FIELDS = "fields";
        String SECRET = "secret";
        String FORMAT = "format";
        String TOKEN_LENGTH = "token.length";
    }

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    ConfigName.FIELDS,
                    ConfigDef.Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    (name, value) -> {
                        if (value instanceof List && ((List<?>) value).isEmpty()) {
                            throw new ConfigException(name, value, "Name at least one field");
                        }
                    },
                    ConfigDef.Importance.HIGH,
                    "The string fields to replace with tokens.")
            .define(
                    ConfigName.SECRET,
                    ConfigDef.Type.PASSWORD,
                    ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.Importance.HIGH,
                    "The HMAC key. Keep it out of the connector config with a ConfigProvider, e.g. "
                            + "${file:/etc/kafka-connect/secrets/pii.properties:key}. Rotating it changes every token.")
            .define(
                    ConfigName.FORMAT,
                    ConfigDef.Type.STRING,
                    "hex",
                    ConfigDef.ValidString.in("hex", "email"),
                    ConfigDef.Importance.MEDIUM,
                    "'hex': the token alone. 'email': for 'local@domain' values, '<token>@domain', so routing and "
                            + "analytics by domain keep working; values without '@' get the plain token.")
            .define(
                    ConfigName.TOKEN_LENGTH,
                    ConfigDef.Type.INT,
                    64,
                    ConfigDef.Range.between(8, 64),
                    ConfigDef.Importance.LOW,
                    "How many hex characters of the HMAC to keep (64 = all 256 bits).");

    private final RecordPart part;
    private List<String> fields;
    private Mac mac;
    private boolean email;
    private int length;

    protected Pseudonymize(RecordPart part) {
        this.part = part;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        fields = config.getList(ConfigName.FIELDS);
        Password secret = config.getPassword(ConfigName.SECRET);
        if (secret == null || secret.value() == null || secret.value().isEmpty()) {
            throw new ConfigException(ConfigName.SECRET, "[hidden]", "An HMAC key is required");
        }
        try {
            // One Mac per transform instance: Connect gives each task its own instance, so it is never shared.
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new ConfigException("HmacSHA256 is not available: " + e.getMessage());
        }
        email = "email".equals(config.getString(ConfigName.FORMAT));
        length = config.getInt(ConfigName.TOKEN_LENGTH);
    }

    @Override
    public R apply(R record) {
        Object value = part.value(record);
        if (value == null) {
            return record;
        }
        Schema schema = part.schema(record);
        if (schema != null && ChangeEvent.isEnvelope(schema)) {
            Struct envelope = (Struct) value;
            Struct copy = new Struct(schema);
            for (Field field : schema.fields()) {
                Object part = envelope.get(field);
                boolean row = (field.name().equals("before") || field.name().equals("after")) && part != null;
                copy.put(field, row ? replaced((Struct) part) : part);
            }
            return part.replace(record, schema, copy);
        }
        if (value instanceof Struct struct) {
            return part.replace(record, schema, replaced(struct));
        }
        if (value instanceof Map) {
            Map<Object, Object> copy = new HashMap<>((Map<?, ?>) value);
            for (String name : fields) {
                if (!copy.containsKey(name)) {
                    throw new DataException("Pseudonymize: field '" + name + "' is not in the record");
                }
                copy.put(name, token(name, copy.get(name)));
            }
            return part.replace(record, null, copy);
        }
        throw new DataException("Pseudonymize: a struct, a map or a Debezium change event is required, not a "
                + value.getClass().getSimpleName());
    }

    private Struct replaced(Struct row) {
        Struct copy = new Struct(row.schema());
        for (Field field : row.schema().fields()) {
            copy.put(field, row.get(field));
        }
        for (String name : fields) {
            Field field = row.schema().field(name);
            if (field == null) {
                throw new DataException("Pseudonymize: field '" + name + "' is not in the record's schema");
            }
            copy.put(field, token(name, row.get(field)));
        }
        return copy;
    }

    private String token(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String)) {
            throw new DataException("Pseudonymize: field '" + name + "' is a "
                    + value.getClass().getSimpleName() + "; only strings can be replaced by tokens");
        }
        String text = (String) value;
        int at = text.lastIndexOf('@');
        if (email && at > 0) {
            return hex(text.substring(0, at)) + text.substring(at);
        }
        return hex(text);
    }

    private String hex(String text) {
        byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(64);
        for (byte b : digest) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.substring(0, length);
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void close() {}

    /** Works on the record key. */
    public static class Key<R extends ConnectRecord<R>> extends Pseudonymize<R> {
        public Key() {
            super(RecordPart.KEY);
        }
    }

    /** Works on the record value (or on a change event's before and after rows). */
    public static class Value<R extends ConnectRecord<R>> extends Pseudonymize<R> {
        public Value() {
            super(RecordPart.VALUE);
        }
    }
}
