package io.rollingmigration.connect.common.spec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    private Uuid5() {
    }

    public static UUID of(UUID namespace, String name) {
        return of(bytes(namespace), name);
    }

    /** The namespace as the 16 bytes the hash starts with; compute once per namespace. */
    public static byte[] bytes(UUID namespace) {
        return ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array();
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
