package io.rollingmigration.converter;

/**
 * Thrown where the fast path meets something it does not answer itself: a token of another type than the schema's,
 * an envelope laid out unlike Kafka's, a value the schema refuses. Kafka's JsonConverter then answers the record,
 * so every unusual case, errors included, comes out exactly as it would with the stock converter.
 */
final class OffThePath extends RuntimeException {

    static final OffThePath INSTANCE = new OffThePath();

    private OffThePath() {
        super("not on the fast path", null, false, false);
    }
}
