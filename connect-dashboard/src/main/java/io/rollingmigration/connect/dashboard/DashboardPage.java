package io.rollingmigration.connect.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The dashboard's one HTML page: figures and charts drawn in the browser from the JSON resources, no assets. */
final class DashboardPage {

    private static final String HTML = load();

    private DashboardPage() {}

    static String html() {
        return HTML;
    }

    private static String load() {
        try (InputStream in = DashboardPage.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the extension's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
