package org.biotwin.ui.swt.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.ui.swt.MeasuredHistory;
import org.biotwin.ui.swt.TwinPart;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Opens the twin panel in its own window in a host without a workbench (the Felix reference host), when
 * {@value #STANDALONE} is {@code true} (framework property, e.g. in the host's {@code conf/host.properties}, or this
 * component's configuration) and a display is present. SWT gets its own UI thread, which owns the one
 * {@code Display} of the process; deactivation closes the window and ends that thread. Never enable this inside an
 * Eclipse RCP application: the workbench owns the Display there, and the part is contributed through the model
 * fragment instead.
 */
@Component(immediate = true, configurationPid = StandaloneWindowComponent.PID)
@Designate(ocd = StandaloneWindowComponent.Config.class)
public final class StandaloneWindowComponent {

    static final String PID = "org.biotwin.ui.swt.standalone";
    /** Framework property that enables the window. */
    public static final String STANDALONE = "biotwin.ui.swt.standalone";
    /** Window title; tests find the window by it. */
    public static final String TITLE = "BioTwin — twin panel";
    private static final Logger LOG = System.getLogger(StandaloneWindowComponent.class.getName());

    @ObjectClassDefinition(name = "BioTwin SWT panel: standalone window",
            description = "Opens the twin panel in its own window when the host has a display and no workbench.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Open the window (also enabled by the framework "
                + "property biotwin.ui.swt.standalone=true). Not for Eclipse RCP applications.")
        boolean enabled() default false;

        @AttributeDefinition(name = "Unit", required = false,
                description = "Unit shown first; empty = the first unit.")
        String unit() default "";

        @AttributeDefinition(name = "Width", min = "400", description = "Window width, px.")
        int width() default 1280;

        @AttributeDefinition(name = "Height", min = "300", description = "Window height, px.")
        int height() default 800;

        @AttributeDefinition(name = "Refresh", min = "200", max = "600000",
                description = "Live-update period, ms.")
        int refreshMillis() default 2000;

        @AttributeDefinition(name = "Charts", description = "Observables to chart (1-6).")
        String[] variables() default {"titre", "VCD", "glucose", "volume"};

        @AttributeDefinition(name = "Measured tags", description = "tag=observable: which plant tag measures "
                + "which observable (a tag named like the observable needs no entry).")
        String[] measuredTags() default {"titre_lab=titre", "VCD_lab=VCD", "GLC_lab=glucose"};
    }

    private final TwinPart part;
    private final @Nullable Thread uiThread;
    private volatile @Nullable Display display;
    private volatile @Nullable Advisor advisor;
    private volatile @Nullable BatchRecord batchRecord;
    private volatile @Nullable MeasuredHistory history;
    private final TwinRegistry registry;

    @Activate
    public StandaloneWindowComponent(BundleContext ctx, Config config, @Reference TwinRegistry registry)
            throws InterruptedException {
        this.registry = registry;
        PanelSettings settings = PanelSettings.parse(config.variables(), config.measuredTags(),
                config.refreshMillis());
        this.part = new TwinPart(registry, advisor, batchRecord, history, settings);
        boolean enabled = config.enabled() || Boolean.parseBoolean(ctx.getProperty(STANDALONE));
        String why = !enabled ? STANDALONE + " is not true" : displayAbsent();
        if (why != null) {
            LOG.log(enabled ? Level.WARNING : Level.DEBUG, "Twin panel window not opened: " + why);
            uiThread = null;
            return;
        }
        CountDownLatch opened = new CountDownLatch(1);
        uiThread = new Thread(() -> run(config, opened), "biotwin-ui-swt");
        uiThread.start();
        if (!opened.await(20, TimeUnit.SECONDS)) {
            LOG.log(Level.WARNING, "Twin panel window: the SWT display did not open within 20 s");
        }
    }

    /** Null when a display is present, else the reason. */
    static @Nullable String displayAbsent() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return null;
        }
        String x = System.getenv("DISPLAY");
        String w = System.getenv("WAYLAND_DISPLAY");
        return (x == null || x.isBlank()) && (w == null || w.isBlank())
                ? "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)" : null;
    }

    private void run(Config config, CountDownLatch opened) {
        Display d;
        try {
            d = new Display();
        } catch (Throwable e) { // SWTError, UnsatisfiedLinkError: GTK missing or the display unreachable
            LOG.log(Level.ERROR, "Twin panel window: SWT cannot open a display: " + e, e);
            opened.countDown();
            return;
        }
        display = d;
        try {
            Shell shell = new Shell(d);
            shell.setText(TITLE);
            shell.setLayout(new FillLayout());
            part.createControls(shell);
            if (!config.unit().isBlank()) {
                try {
                    part.selectUnit(config.unit());
                } catch (IllegalArgumentException e) {
                    LOG.log(Level.WARNING, "Twin panel window: " + e.getMessage());
                }
            }
            shell.setSize(config.width(), config.height());
            Rectangle b = d.getPrimaryMonitor().getBounds();
            shell.setLocation(b.x + Math.max(0, (b.width - config.width()) / 2),
                    b.y + Math.max(0, (b.height - config.height()) / 2));
            shell.open();
            LOG.log(Level.INFO, "Twin panel window open");
            opened.countDown();
            while (!shell.isDisposed()) {
                if (!d.readAndDispatch()) {
                    d.sleep();
                }
            }
            part.dispose();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Twin panel window failed: " + e, e);
        } finally {
            opened.countDown();
            display = null;
            d.dispose();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAdvisor(Advisor a) {
        advisor = a;
        update();
    }

    void unbindAdvisor(Advisor a) {
        if (advisor == a) {
            advisor = null;
            update();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBatchRecord(BatchRecord b) {
        batchRecord = b;
        update();
    }

    void unbindBatchRecord(BatchRecord b) {
        if (batchRecord == b) {
            batchRecord = null;
            update();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHistory(MeasuredHistory h) {
        history = h;
        update();
    }

    void unbindHistory(MeasuredHistory h) {
        if (history == h) {
            history = null;
            update();
        }
    }

    private void update() {
        // Bind methods may run before the constructor has assigned the part (DS binds dynamic references after
        // construction, but be safe): the part reads the fields at its next refresh.
        TwinPart p = part;
        if (p != null) {
            p.services(registry, advisor, batchRecord, history);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        Display d = display;
        if (d != null && !d.isDisposed()) {
            d.asyncExec(() -> {
                for (Shell s : d.getShells()) {
                    s.dispose();
                }
            });
            d.wake();
        }
        Thread t = uiThread;
        if (t != null) {
            t.join(10_000);
        }
    }
}
