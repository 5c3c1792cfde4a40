package io.rollingmigration.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.testsupport.ChromiumFixture;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's status page as a browser shows it: the figures filled in by its script, and the chart drawn. */
class StatusPageIT {

    @TempDir
    Path work;

    @Test
    void aBrowserShowsTheFiguresAndDrawsTheLagAndDriftChart() throws Exception {
        ChromiumFixture chromium = ChromiumFixture.availableOrSkip();
        try (StatusPage page = StatusPage.start(0)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 30; i++) {
                Map<String, Long> drift = new LinkedHashMap<>();
                drift.put("CRITICAL", 0L);
                drift.put("HIGH", i > 20 ? 1L : 0L);
                drift.put("MEDIUM", i > 25 ? 2L : 0L);
                drift.put("LOW", 0L);
                page.record(new MigrationStatus(
                        now + i * 5000L,
                        1200,
                        Math.min(1200, 100L * i),
                        40 + i,
                        300 + 25L * i,
                        5000L + i,
                        17,
                        2,
                        drift,
                        99.75,
                        Map.of("*", "LEGACY", "EU", "TARGET"),
                        i < 10
                                ? ReadShiftStatus.none()
                                : new ReadShiftStatus(
                                        Map.of("EU", "CANARY 10%"),
                                        Map.of("EU", 98.7 - (i % 3)),
                                        Map.of("EU", 40L * i),
                                        new TreeMap<>(Map.of("EU", 9.5, "US", 0.0)),
                                        new TreeMap<>(Map.of("support-desk", 10.0, "web-portal", 4.8)),
                                        2)));
            }

            String dom = chromium.renderedDom(page.url(), 3000);
            assertTrue(dom.contains("100.0% (1200/1200)"), "backfill figure rendered:\n" + dom);
            assertTrue(dom.contains("69 / 1025 ms"), "lag p50 / p99 rendered");
            assertTrue(dom.contains("5029 / 17 / 2"), "applied / skipped / failed rendered");
            assertTrue(dom.contains("99.75%"), "alignment rendered");
            assertTrue(dom.contains("HIGH 1") && dom.contains("MEDIUM 2"), "open drift by severity rendered");
            assertTrue(dom.contains("EU: TARGET"), "ownership rendered");
            assertTrue(dom.contains("EU: CANARY 10%"), "read plan rendered");
            assertTrue(dom.contains("EU 96.70% (1160)"), "shadow alignment rendered with its compared reads");
            assertTrue(dom.contains("support-desk 10%, web-portal 5%"), "read routing per consumer rendered");
            assertTrue(dom.contains("<polyline"), "chart drawn");

            Path png = work.resolve("status.png");
            chromium.screenshot(page.url(), png, 1000, 700, 3000);
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(1000, image.getWidth());
            assertEquals(700, image.getHeight());
            assertTrue(pixels(image, 0x1f77b4) > 50, "the lag line is on the screenshot");
            assertTrue(pixels(image, 0xd62728) > 50, "the drift line is on the screenshot");
            assertTrue(pixels(image, 0x2ca02c) > 50, "the shadow alignment line is on the screenshot");
        }
    }

    /** Pixels close to a colour (anti-aliasing blurs the lines a little). */
    private static int pixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 24
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 24
                        && Math.abs((p & 0xff) - (rgb & 0xff)) < 24) {
                    count++;
                }
            }
        }
        return count;
    }
}
