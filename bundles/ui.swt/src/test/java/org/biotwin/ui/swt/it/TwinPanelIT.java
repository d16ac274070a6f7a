package org.biotwin.ui.swt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SWT panel under Xvfb against a live twin. The test starts its own Xvfb on a free display number ({@code
 * -displayfd}: the server picks the number and reports it once it accepts connections) and stops it at the end; each
 * scenario runs in a child JVM with that DISPLAY ({@link PanelScenario}), because SWT takes the display from the
 * process environment. Skipped, with the reason, only when Xvfb cannot start (run .ci/setup.d/xvfb.sh).
 */
class TwinPanelIT {

    private static Process xvfb;
    private static String display;
    private static final Path SHOTS = Path.of(System.getProperty("it.screenshots", "target/screenshots"));

    @BeforeAll
    static void startXvfb() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten",
                "tcp");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            xvfb = pb.start();
        } catch (java.io.IOException e) {
            // ./biotwin test installs it (.ci/setup.d/xvfb.sh): a missing display server is a failure, never a skip
            throw new IllegalStateException("Xvfb cannot start (" + e.getMessage()
                    + "): run .ci/setup.d/xvfb.sh (as root)", e);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII));
        String n = r.readLine(); // written when the server is ready
        if (n == null || !n.trim().matches("\\d+")) {
            xvfb.destroy();
            throw new IllegalStateException("Xvfb did not report a display number (got " + n + ")");
        }
        display = ":" + n.trim();
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopXvfb() throws InterruptedException {
        if (xvfb != null) {
            xvfb.destroy();
            if (!xvfb.waitFor(10, TimeUnit.SECONDS)) {
                xvfb.destroyForcibly();
            }
        }
    }

    private static Properties scenario(String mode) throws Exception {
        String cp = childClassPath(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", cp));
        for (String p : new String[] {"it.bundles", "it.swt.bundles", "it.work", "ui.bundle"}) {
            cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.add(PanelScenario.class.getName());
        cmd.add(mode);
        cmd.add(SHOTS.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DISPLAY", display);
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("GTK_THEME", "Adwaita"); // the same look on every machine
        pb.environment().put("NO_AT_BRIDGE", "1"); // no accessibility bus in CI
        Path log = SHOTS.resolve(mode + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            boolean done = p.waitFor(240, TimeUnit.SECONDS);
            assertThat(done).as("scenario %s finished within 240 s (log %s)", mode, log).isTrue();
            assertThat(p.exitValue()).as("scenario %s exit code; log:%n%s", mode, tail(log)).isZero();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        Properties f = new Properties();
        try (var in = Files.newInputStream(SHOTS.resolve(mode + "-facts.properties"))) {
            f.load(in);
        }
        assertThat(f.getProperty("completed")).as("scenario %s completed; log:%n%s", mode, tail(log))
                .isEqualTo("true");
        return f;
    }

    /**
     * The test class path without the suite bundles that run inside the framework. Felix offers a service only to a
     * requester that sees the same class for every name under which it is registered, and the engine registers its
     * registry also under its implementation class: with the engine jar on the class path, the system bundle would
     * load another copy of that class and never see the service.
     */
    static String childClassPath(String cp) {
        return java.util.Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.matches(".*(org\\.biotwin\\.|/bundles/)(engine|softsensor|kinetics|models\\.cho|advisory)"
                        + "([-/].*|$)"))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> l = Files.readAllLines(log);
        return String.join("\n", l.subList(Math.max(0, l.size() - 60), l.size()));
    }

    @Test
    void thePartShowsALiveTwinAndTheOperatorSignsTheAdvice() throws Exception {
        Properties f = scenario("live");

        // e4's injector built exactly one panel although the part carries both jakarta and javax annotations.
        assertThat(f.getProperty("e4.panels")).isEqualTo("1");
        // Widget tree: status, values from the live twin and the batch record, the advisory.
        List<String> labels = List.of(f.getProperty("labels").split("\\|"));
        assertThat(labels).contains("Unit:", "Batch:", "Phase:", "Model:", "Estimate:", "Alarms:", "Advisories",
                "Accept…", "Reject…", "Review now", "B-2026-UI-1", "FED_BATCH", "OPEN", "Gain 5/50/95 %");
        assertThat(labels).anyMatch(s -> s.startsWith("cho.mab.fedbatch:"));
        assertThat(f.getProperty("advisory.rows")).isEqualTo("1");

        // The screenshot: not blank, and every chart's plot area has plotted (coloured) pixels.
        BufferedImage img = ImageIO.read(SHOTS.resolve("twin-panel.png").toFile());
        assertThat(img.getWidth()).isEqualTo(1280);
        assertThat(distinctColours(img, 0, 0, img.getWidth(), img.getHeight())).as("distinct colours").isGreaterThan(50);
        int charts = Integer.parseInt(f.getProperty("charts"));
        assertThat(charts).isEqualTo(4);
        for (int i = 0; i < charts; i++) {
            String[] r = f.getProperty("chart." + i + ".plot").split(",");
            int x = Integer.parseInt(r[0]);
            int y = Integer.parseInt(r[1]);
            int w = Integer.parseInt(r[2]);
            int h = Integer.parseInt(r[3]);
            assertThat(coloured(img, x, y, w, h)).as("plotted pixels in chart %d", i).isGreaterThan(w * h / 100);
        }

        // Live update: new plant data moved the estimate shown, through the timer-driven refresh.
        assertThat(f.getProperty("estimate.after")).isNotEqualTo(f.getProperty("estimate.before"));
        assertThat(Integer.parseInt(f.getProperty("refreshes"))).isPositive();

        // E-signature: a wrong password is refused in the dialog and changes nothing; the right one accepts.
        assertThat(f.getProperty("refused.message")).startsWith("Not signed");
        assertThat(f.getProperty("refused.status")).isEqualTo("OPEN");
        assertThat(f.getProperty("decided.status")).isEqualTo("ACCEPTED");
        assertThat(f.getProperty("decided.by")).isEqualTo("Olivia Operator");
        assertThat(f.getProperty("table.status")).isEqualTo("ACCEPTED");
        assertThat(Files.size(SHOTS.resolve("signature-refused.png"))).isGreaterThan(5000);
        assertThat(Files.size(SHOTS.resolve("after-accept.png"))).isGreaterThan(5000);
    }

    @Test
    void theBundleOpensItsStandaloneWindowInFelix() throws Exception {
        Properties f = scenario("standalone");
        assertThat(f.getProperty("bundle.org.eclipse.swt")).isEqualTo("ACTIVE");
        assertThat(f.getProperty("bundle.org.eclipse.swt.gtk.linux.x86_64")).isEqualTo("RESOLVED"); // a fragment
        assertThat(f.getProperty("bundle.org.biotwin.ui.swt")).isEqualTo("ACTIVE");
        assertThat(f.getProperty("window.found")).isEqualTo("true");
        assertThat(f.getProperty("window.afterStop")).as("window closed when the framework stopped")
                .isEqualTo("false");
        BufferedImage img = ImageIO.read(new File(f.getProperty("screenshot")));
        assertThat(distinctColours(img, 0, 0, img.getWidth(), img.getHeight())).isGreaterThan(50);
        // The window fills the 1280x800 screen: the titre chart's plot area (top left) has plotted pixels.
        assertThat(coloured(img, 70, 100, 300, 250)).as("plotted pixels in the titre chart").isGreaterThan(750);
    }

    private static int distinctColours(BufferedImage img, int x, int y, int w, int h) {
        Set<Integer> c = new HashSet<>();
        for (int j = y; j < y + h; j += 2) {
            for (int i = x; i < x + w; i += 2) {
                c.add(img.getRGB(i, j) & 0xffffff);
            }
        }
        return c.size();
    }

    /** Pixels that are neither grey nor white: series, bands, dots. */
    private static int coloured(BufferedImage img, int x, int y, int w, int h) {
        int n = 0;
        for (int j = y + 1; j < y + h - 1; j++) {
            for (int i = x + 1; i < x + w - 1; i++) {
                int rgb = img.getRGB(i, j);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) {
                    n++;
                }
            }
        }
        return n;
    }
}
