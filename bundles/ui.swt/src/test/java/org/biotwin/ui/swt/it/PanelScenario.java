package org.biotwin.ui.swt.it;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.sample.SampleListener;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.ui.swt.MeasuredHistory;
import org.biotwin.ui.swt.TwinPart;
import org.biotwin.ui.swt.internal.PanelView;
import org.biotwin.ui.swt.internal.SampleHistory;
import org.biotwin.ui.swt.internal.SignatureDialog;
import org.biotwin.ui.swt.internal.StandaloneWindowComponent;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;

/**
 * Runs in a child JVM whose DISPLAY is the test's Xvfb (SWT reads DISPLAY once, from the environment). Mode
 * {@code live}: the part, made by the real e4 injector, against a live twin in Felix; screenshots; the e-signature
 * dialog refused and then signed. Mode {@code standalone}: the bundle itself, with SWT, in Felix, opening its window.
 * Writes what it saw to {@code facts.properties}; the JUnit test in the parent JVM asserts on it and the PNGs.
 */
public final class PanelScenario {

    private final Path out;
    private final Properties facts = new Properties();

    private PanelScenario(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        PanelScenario s = new PanelScenario(Path.of(args[1]));
        Files.createDirectories(s.out);
        try {
            if (args[0].equals("live")) {
                s.live();
            } else {
                s.standalone();
            }
            s.facts.setProperty("completed", "true");
        } finally {
            try (OutputStream o = Files.newOutputStream(s.out.resolve(args[0] + "-facts.properties"))) {
                s.facts.store(o, "what the " + args[0] + " scenario saw");
            }
        }
        System.exit(0); // the framework's non-daemon threads are stopped; leave no stray thread behind
    }

    private static final String BATCH = "B-2026-UI-1";

    private static void batch(SuiteFramework f) throws Exception {
        BatchRecord br = f.service(BatchRecord.class);
        br.create("system:mes", BATCH, SuiteFramework.UNIT, "mAb-X", "CHO-FB", "3", Map.of(), List.of(),
                SuiteFramework.START.minusSeconds(3600));
        br.start("jdoe", BATCH, SuiteFramework.START);
        br.enterPhase("jdoe", BATCH, "FED_BATCH", SuiteFramework.at(72));
    }

    private static Advisory prepare(SuiteFramework f, double hours) throws Exception {
        Twin twin = f.twin();
        f.feedUntil(hours);
        await(() -> twin.prediction().map(p -> p.issuedAt().isAfter(SuiteFramework.at(hours - 1))).orElse(false),
                60, "a prediction from the estimate at " + hours + " h");
        Advisor adv = f.service(Advisor.class);
        return adv.advise(SuiteFramework.UNIT)
                .orElseThrow(() -> new IllegalStateException("The advisor proposed nothing for the under-fed batch"));
    }

    private void live() throws Exception {
        Path storage = Path.of(System.getProperty("it.work"), "live");
        SuiteFramework.deleteTree(storage);
        try (SuiteFramework f = new SuiteFramework(storage, List.of(), Map.of())) {
            SampleHistory history = new SampleHistory(20_000);
            f.ctx.registerService(SampleListener.class, history, null);
            batch(f);
            Twin twin = f.twin();
            Advisor adv = f.service(Advisor.class);

            Display display = new Display();
            Shell shell = new Shell(display);
            shell.setText("BioTwin twin panel (e4 part)");
            shell.setLayout(new FillLayout());
            // The real e4 injector (Eclipse 4.30's org.eclipse.e4.core.di) makes the part, as a workbench would.
            IEclipseContext ec = EclipseContextFactory.create("ui.swt-it");
            ec.set(TwinRegistry.class, f.service(TwinRegistry.class));
            ec.set(Advisor.class, adv);
            ec.set(BatchRecord.class, f.service(BatchRecord.class));
            ec.set(MeasuredHistory.class, history);
            ec.set(Composite.class, shell);
            TwinPart part = ContextInjectionFactory.make(TwinPart.class, ec);
            facts.setProperty("e4.panels", Integer.toString(shell.getChildren().length));
            PanelView view = (PanelView) part.control().orElseThrow();
            shell.setBounds(0, 0, 1280, 800);
            shell.open();

            // The panel is open while the batch runs: plant time compressed, 2 h of samples per refresh period.
            for (double h = 2; h <= 76; h += 2) {
                double upTo = h;
                Thread feeder = new Thread(() -> {
                    try {
                        f.feedUntil(upTo);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                feeder.start();
                spin(display, () -> !feeder.isAlive(), 60, "feeding to " + h + " h");
                long r = view.refreshes();
                spin(display, () -> view.refreshes() > r, 10, "a refresh of the panel");
            }
            spin(display, () -> twin.prediction().map(p -> p.issuedAt().isAfter(SuiteFramework.at(75))).orElse(false),
                    60, "a prediction from the estimate at 76 h");
            Advisory[] made = new Advisory[1];
            Thread advising = new Thread(() -> made[0] = adv.advise(SuiteFramework.UNIT).orElse(null));
            advising.start();
            spin(display, () -> !advising.isAlive(), 60, "the advisor's review");
            if (made[0] == null) {
                throw new IllegalStateException("The advisor proposed nothing for the under-fed batch");
            }
            Advisory advisory = made[0];
            facts.setProperty("advisory.action", advisory.whatIf().action().description());
            // The next timer refresh lists the new advisory (and draws its course).
            Table table = find(shell, Table.class);
            spin(display, () -> table.getItemCount() > 0, 10, "the advisory in the table");
            spin(display, () -> view.charts().stream().allMatch(c -> chartHas(c, "estimatedT"))
                    && chartHas(view.charts().get(0), "band") && chartHas(view.charts().get(0), "advised"), 30,
                    "charts with data");
            spin(display, () -> false, 1, "settle");
            screenshot(display, shell.getBounds(), "twin-panel.png");
            recordCharts(shell, view);
            facts.setProperty("labels", String.join("|", texts(shell, new ArrayList<>())));
            facts.setProperty("advisory.rows", Integer.toString(table.getItemCount()));

            // Live update: more plant data arrives while the panel is open.
            String before = labelAfter(shell, "Estimate:");
            long refreshesBefore = view.refreshes();
            Thread feeder = new Thread(() -> {
                try {
                    f.feedUntil(80);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            feeder.start();
            spin(display, () -> !feeder.isAlive(), 60, "feeding 76-80 h");
            spin(display, () -> !labelAfter(shell, "Estimate:").equals(before), 20, "the estimate label to move");
            facts.setProperty("estimate.before", before);
            facts.setProperty("estimate.after", labelAfter(shell, "Estimate:"));
            facts.setProperty("refreshes", Long.toString(view.refreshes() - refreshesBefore));

            // Accept with an e-signature: a wrong password first, then the right one.
            table.select(0);
            table.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
            view.decide(true);
            SignatureDialog dlg = view.signatureDialog().orElseThrow();
            dlg.enter(SuiteFramework.OPERATOR, "wrong-password", "Feed raised as advised");
            spin(display, () -> false, 0.5, "dialog shown");
            screenshot(display, display.getBounds(), "signature-dialog.png");
            dlg.pressSign();
            spin(display, () -> dlg.message().startsWith("Not signed"), 30, "the refusal in the dialog");
            facts.setProperty("refused.message", dlg.message().replace('\n', ' '));
            facts.setProperty("refused.status", adv.advisory(advisory.id()).orElseThrow().status().name());
            screenshot(display, display.getBounds(), "signature-refused.png");
            dlg.enter(SuiteFramework.OPERATOR, SuiteFramework.OPERATOR_PASSWORD,
                    "Feed raised as advised; glucose depletion risk confirmed with supervisor");
            dlg.pressSign();
            spin(display, () -> dlg.shell().isDisposed(), 30, "the dialog to close after signing");
            spin(display, () -> table.getItemCount() > 0 && table.getItem(0).getText(1).equals("ACCEPTED"), 10,
                    "the table to show ACCEPTED");
            Advisory decided = adv.advisory(advisory.id()).orElseThrow();
            facts.setProperty("decided.status", decided.status().name());
            facts.setProperty("decided.by", decided.decision() == null ? "" : decided.decision().printedName());
            facts.setProperty("table.status", table.getItem(0).getText(1));
            AuditTrail trail = f.service(AuditTrail.class);
            facts.setProperty("audit.batch.entries", Long.toString(trail.entriesFor("batch", BATCH).stream()
                    .filter(e -> e.toString().contains(advisory.id())).count()));
            screenshot(display, shell.getBounds(), "after-accept.png");

            ec.dispose(); // e4 calls @PreDestroy
            shell.dispose();
            display.dispose();
        }
    }

    private void standalone() throws Exception {
        Path storage = Path.of(System.getProperty("it.work"), "standalone");
        SuiteFramework.deleteTree(storage);
        List<Path> extra = new ArrayList<>();
        try (var s = Files.list(Path.of(System.getProperty("it.swt.bundles")))) {
            extra.addAll(s.sorted().toList());
        }
        extra.add(Path.of(System.getProperty("ui.bundle")));
        try (SuiteFramework f = new SuiteFramework(storage, extra,
                Map.of(StandaloneWindowComponent.STANDALONE, "true"))) {
            for (org.osgi.framework.Bundle b : f.ctx.getBundles()) {
                if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.eclipse.swt")
                        || "org.biotwin.ui.swt".equals(b.getSymbolicName())) {
                    facts.setProperty("bundle." + b.getSymbolicName(), state(b.getState()));
                }
            }
            batch(f);
            Twin twin = f.twin();
            // The window is open from the start: the batch arrives in 8 h steps, one refresh period apart.
            for (double h = 8; h <= 72; h += 8) {
                f.feedUntil(h);
                Thread.sleep(2300);
            }
            prepare(f, 76);
            facts.setProperty("samples", Long.toString(twin.samplesProcessed()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String tree = "";
            while (System.nanoTime() < deadline && !tree.contains(StandaloneWindowComponent.TITLE)) {
                tree = run("xwininfo", "-root", "-tree");
                Thread.sleep(200);
            }
            facts.setProperty("window.found", Boolean.toString(tree.contains(StandaloneWindowComponent.TITLE)));
            Thread.sleep(5000); // two refresh periods: the advisory and the charts are in
            run("import", "-window", "root", out.resolve("standalone-window.png").toString());
            facts.setProperty("screenshot", out.resolve("standalone-window.png").toString());
        }
        // Framework stopped: the component was deactivated and must have closed its window.
        Thread.sleep(500);
        facts.setProperty("window.afterStop",
                Boolean.toString(run("xwininfo", "-root", "-tree").contains(StandaloneWindowComponent.TITLE)));
    }

    private static String state(int s) {
        return switch (s) {
            case org.osgi.framework.Bundle.ACTIVE -> "ACTIVE";
            case org.osgi.framework.Bundle.RESOLVED -> "RESOLVED";
            case org.osgi.framework.Bundle.INSTALLED -> "INSTALLED";
            default -> Integer.toString(s);
        };
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return o;
    }

    /** Whether a chart has a band ({@code band}) or more than one point of a series ({@code estimatedT}). */
    private static boolean chartHas(Composite c, String what) {
        try {
            var f = c.getClass().getDeclaredMethod("data");
            f.setAccessible(true);
            Object d = f.invoke(c);
            var m = d.getClass().getDeclaredMethod(what);
            m.setAccessible(true);
            Object v = m.invoke(d);
            return v instanceof double[] a ? a.length > 1 : v != null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void recordCharts(Shell shell, PanelView view) {
        int i = 0;
        for (Composite c : view.charts()) {
            Rectangle p = PanelView.plotArea(c);
            org.eclipse.swt.graphics.Point o = shell.getDisplay().map(c, shell, p.x, p.y);
            facts.setProperty("chart." + i + ".plot", o.x + "," + o.y + "," + p.width + "," + p.height);
            facts.setProperty("chart." + i + ".band", Boolean.toString(chartHas(c, "band")));
            facts.setProperty("chart." + i + ".measured", Boolean.toString(chartHas(c, "measuredT")));
            i++;
        }
        facts.setProperty("charts", Integer.toString(i));
    }

    private static List<String> texts(Control c, List<String> acc) {
        if (c instanceof Label l && !l.getText().isEmpty()) {
            acc.add(l.getText());
        } else if (c instanceof Button b) {
            acc.add(b.getText());
        } else if (c instanceof Table t) {
            for (var col : t.getColumns()) {
                acc.add(col.getText());
            }
            for (TableItem it : t.getItems()) {
                acc.add(it.getText(1));
            }
        }
        if (c instanceof Composite comp) {
            for (Control k : comp.getChildren()) {
                texts(k, acc);
            }
        }
        return acc;
    }

    private static String labelAfter(Composite root, String name) {
        List<Label> labels = new ArrayList<>();
        collect(root, Label.class, labels);
        for (int i = 0; i < labels.size() - 1; i++) {
            if (labels.get(i).getText().equals(name)) {
                return labels.get(i + 1).getText();
            }
        }
        throw new IllegalStateException("No label '" + name + "'");
    }

    private static <T> void collect(Control c, Class<T> type, List<T> acc) {
        if (type.isInstance(c)) {
            acc.add(type.cast(c));
        }
        if (c instanceof Composite comp) {
            for (Control k : comp.getChildren()) {
                collect(k, type, acc);
            }
        }
    }

    private static <T> T find(Control root, Class<T> type) {
        List<T> l = new ArrayList<>();
        collect(root, type, l);
        return l.get(0);
    }

    private void screenshot(Display d, Rectangle area, String name) throws Exception {
        spin(d, () -> false, 0.8, "repaint"); // let every pending paint reach the X server first
        d.update();
        Image img = new Image(d, area.width, area.height);
        GC gc = new GC(d);
        gc.copyArea(img, area.x, area.y);
        gc.dispose();
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {img.getImageData()};
        loader.save(out.resolve(name).toString(), SWT.IMAGE_PNG);
        img.dispose();
        facts.setProperty("screenshot." + name, area.x + "," + area.y + "," + area.width + "," + area.height);
    }

    private static void spin(Display d, BooleanSupplier until, double seconds, String what) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!until.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                if (seconds >= 2) {
                    throw new IllegalStateException("Timed out after " + seconds + " s waiting for " + what);
                }
                return;
            }
            if (!d.readAndDispatch()) {
                d.timerExec(20, () -> { });
                d.sleep();
            }
        }
    }

    private static void await(BooleanSupplier until, double seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!until.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static Instant now() {
        return Instant.now();
    }
}
