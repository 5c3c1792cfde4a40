package io.rollingmigration.converter;

import java.nio.charset.StandardCharsets;

/** JsonConverter's envelope as it writes it: {@code {"schema":S,"payload":P}}, no spaces. */
final class Envelope {

    /** The bytes before the schema. */
    static final byte[] SCHEMA_FIELD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    /** The bytes between the schema and the payload. */
    static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private Envelope() {}
}
