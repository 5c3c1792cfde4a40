package io.rollingmigration.connect.common.spec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Name-based UUIDs, version 5 (SHA-1), as RFC 4122 section 4.3 defines them: stable target ids for legacy keys. */
public final class Uuid5 {

    // Looking up a MessageDigest costs more than hashing a key: one per thread, reset by digest().
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    });

    /** The namespaces RFC 4122 appendix C defines, by name. */
    public static final Map<String, UUID> NAMED = Map.of(
            "dns", UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
            "url", UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
            "oid", UUID.fromString("6ba7b812-9dad-11d1-80b4-00c04fd430c8"),
            "x500", UUID.fromString("6ba7b814-9dad-11d1-80b4-00c04fd430c8"));

    private Uuid5() {}

    /**
     * A namespace as a spec or a config writes it: a UUID, or one of {@link #NAMED} by name.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static UUID namespace(String text) {
        UUID named = NAMED.get(text.trim().toLowerCase(Locale.ROOT));
        return named != null ? named : UUID.fromString(text.trim());
    }

    public static UUID of(UUID namespace, String name) {
        return of(bytes(namespace), name);
    }

    /** The namespace as the 16 bytes the hash starts with; compute once per namespace. */
    public static byte[] bytes(UUID namespace) {
        return ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array();
    }

    public static UUID of(byte[] namespace, String name) {
        MessageDigest sha1 = SHA1.get();
        sha1.update(namespace);
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (hash[i] & 0xff);
            least = (least << 8) | (hash[8 + i] & 0xff);
        }
        return new UUID(most, least);
    }
}
