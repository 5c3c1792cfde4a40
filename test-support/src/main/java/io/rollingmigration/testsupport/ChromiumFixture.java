package io.rollingmigration.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, installed from Debian's packages when missing (as root), for tests that look at a
 * page the way a browser renders it: scripts run, then a screenshot or the resulting DOM.
 */
public final class ChromiumFixture {

    private static final Path BINARY = Paths.get("/usr/bin/chromium");

    private ChromiumFixture() {}

    /** The browser, installed if needed; skips the calling test (JUnit assumption) if it cannot be had. */
    public static synchronized ChromiumFixture availableOrSkip() {
        if (!Files.isExecutable(BINARY)) {
            if (!ProcessRunner.isRoot() || !Files.isExecutable(Paths.get("/usr/bin/apt-get"))) {
                String message = "SKIPPING browser tests: no " + BINARY + " and no way to install Debian's chromium";
                System.err.println("*** " + message + " ***");
                Assumptions.abort(message);
            }
            ProcessRunner.run(
                    List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium"), Paths.get("/"));
        }
        return new ChromiumFixture();
    }

    /** Renders the page (scripts given {@code budgetMillis} of virtual time) into a PNG of the given size. */
    public void screenshot(URI page, Path png, int width, int height, int budgetMillis) {
        run(List.of(
                "--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height,
                "--virtual-time-budget=" + budgetMillis,
                page.toString()));
    }

    /** The page's DOM after its scripts ran for {@code budgetMillis} of virtual time. */
    public String renderedDom(URI page, int budgetMillis) {
        return run(List.of("--dump-dom", "--virtual-time-budget=" + budgetMillis, page.toString()));
    }

    private static String run(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars"));
        command.addAll(arguments);
        try {
            Path out = Files.createTempFile("chromium-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(false)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within 60 s: " + command);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + ": " + command);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run chromium: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while chromium ran", e);
        }
    }
}
