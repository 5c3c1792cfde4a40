package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Name-based UUIDs (RFC 9562, version 5) as every other implementation makes them: the example of Python's uuid
 * documentation, and names in each of the RFC's four namespaces as Python's {@code uuid.uuid5} computes them.
 */
class Uuid5Test {

    @Test
    void thePublishedExampleOfTheDnsNamespace() {
        assertEquals(
                UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"),
                Uuid5.of(Uuid5.namespace("dns"), "python.org"));
    }

    @Test
    void namesInEachOfTheFourNamespacesOfTheRfc() {
        assertEquals(
                "4c565f0d-3f5a-5890-b41b-20cf47701c5e",
                Uuid5.of(Uuid5.namespace("url"), "http://python.org/").toString());
        assertEquals(
                "1447fa61-5277-5fef-a9b3-fbc6e44f4af3",
                Uuid5.of(Uuid5.namespace("oid"), "1.3.6.1").toString());
        assertEquals(
                "6b28d549-d26e-5bfc-ae5e-9a39af63dc3f",
                Uuid5.of(Uuid5.namespace("x500"), "cn=John Doe").toString());
        assertEquals(
                "2ed6657d-e927-568b-95e1-2665a8aea6a2",
                Uuid5.of(Uuid5.namespace("dns"), "www.example.com").toString());
    }

    @Test
    void namesAreHashedAsUtf8() {
        assertEquals(
                "c545f148-2f1e-5792-8646-ecd64f3bb671",
                Uuid5.of(Uuid5.namespace("dns"), "日本").toString());
    }

    @Test
    void aNamespaceMayBeGivenAsItsUuid() {
        assertEquals(Uuid5.namespace("dns"), Uuid5.namespace("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
        assertEquals(
                Uuid5.of(Uuid5.namespace("dns"), "python.org"),
                Uuid5.of(Uuid5.bytes(Uuid5.namespace("dns")), "python.org"));
    }

    @Test
    void theResultIsVersion5OfTheRfcVariant() {
        UUID id = Uuid5.of(Uuid5.namespace("url"), "anything");
        assertEquals(5, id.version());
        assertEquals(2, id.variant());
    }

    @Test
    void anUnknownNamespaceIsRefused() {
        assertThrows(RuntimeException.class, () -> Uuid5.namespace("not-a-namespace"));
    }
}
