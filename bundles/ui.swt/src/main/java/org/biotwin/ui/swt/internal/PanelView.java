package org.biotwin.ui.swt.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.api.twin.TwinState;
import org.biotwin.ui.swt.MeasuredHistory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.jspecify.annotations.Nullable;

/**
 * The panel's widgets and their live update. Built by {@link org.biotwin.ui.swt.TwinPart}. UI thread only, except
 * {@link #requestRefresh()}.
 */
public final class PanelView extends Composite {

    /** Where the services come from; each may be null (not there yet, or gone). */
    public interface Services {
        @Nullable TwinRegistry registry();

        @Nullable Advisor advisor();

        @Nullable BatchRecord batchRecord();

        @Nullable MeasuredHistory history();
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final PanelSettings settings;
    private final Services services;
    private final PanelData data;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "biotwin-ui-advisor");
        t.setDaemon(true);
        return t;
    });
    private final Combo unit;
    private final Label batch;
    private final Label phase;
    private final Label model;
    private final Label estimate;
    private final Label alarmCount;
    private final List<TrendChart> charts = new ArrayList<>();
    private final Table advisories;
    private final Text details;
    private final Button accept;
    private final Button reject;
    private final Button review;
    private final org.eclipse.swt.widgets.List alarms;
    private final Label status;
    private final Runnable tick;
    private List<Advisory> shown = List.of();
    private @Nullable SignatureDialog dialog;
    private long refreshes;

    public PanelView(Composite parent, PanelSettings settings, Services services) {
        super(parent, SWT.NONE);
        this.settings = settings;
        this.services = services;
        this.data = new PanelData(settings);
        setLayout(new GridLayout(1, false));

        // Unit selector and status.
        Composite head = new Composite(this, SWT.NONE);
        head.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        head.setLayout(new GridLayout(12, false));
        label(head, "Unit:");
        unit = new Combo(head, SWT.READ_ONLY | SWT.DROP_DOWN);
        GridData ug = new GridData();
        ug.widthHint = 110;
        unit.setLayoutData(ug);
        unit.addListener(SWT.Selection, e -> refreshNow());
        batch = field(head, "Batch:", 120);
        phase = field(head, "Phase:", 100);
        model = field(head, "Model:", 170);
        estimate = field(head, "Estimate:", 190);
        alarmCount = field(head, "Alarms:", 40);

        SashForm sash = new SashForm(this, SWT.HORIZONTAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        Composite chartArea = new Composite(sash, SWT.NONE);
        int cols = settings.variables().size() > 1 ? 2 : 1;
        chartArea.setLayout(new GridLayout(cols, true));
        for (String v : settings.variables()) {
            TrendChart c = new TrendChart(chartArea, v);
            c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
            charts.add(c);
        }

        Composite side = new Composite(sash, SWT.NONE);
        side.setLayout(new GridLayout(3, false));
        Label al = label(side, "Advisories");
        al.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
        advisories = new Table(side, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        advisories.setHeaderVisible(true);
        advisories.setLinesVisible(true);
        GridData tg = new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1);
        tg.heightHint = 110;
        advisories.setLayoutData(tg);
        for (String[] c : new String[][] {{"Created (UTC)", "112"}, {"Status", "80"}, {"Gain 5/50/95 %", "150"},
            {"Value", "70"}, {"Action", "400"}}) {
            TableColumn col = new TableColumn(advisories, SWT.LEFT);
            col.setText(c[0]);
            col.setWidth(Integer.parseInt(c[1]));
        }
        advisories.addListener(SWT.Selection, e -> selectionChanged());
        details = new Text(side, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.READ_ONLY | SWT.V_SCROLL);
        GridData dg = new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1);
        dg.heightHint = 90;
        details.setLayoutData(dg);
        accept = new Button(side, SWT.PUSH);
        accept.setText("Accept…");
        accept.addListener(SWT.Selection, e -> decide(true));
        reject = new Button(side, SWT.PUSH);
        reject.setText("Reject…");
        reject.addListener(SWT.Selection, e -> decide(false));
        review = new Button(side, SWT.PUSH);
        review.setText("Review now");
        review.addListener(SWT.Selection, e -> reviewNow());
        Label alarmsLabel = label(side, "Alarms");
        alarmsLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
        alarms = new org.eclipse.swt.widgets.List(side, SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        GridData lg = new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1);
        lg.heightHint = 70;
        alarms.setLayoutData(lg);
        sash.setWeights(62, 38);

        status = new Label(this, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.BOTTOM, true, false));

        tick = this::onTick;
        addDisposeListener(e -> stop());
        refreshNow();
        getDisplay().timerExec(settings.refreshMillis(), tick);
    }

    private void onTick() {
        if (!isDisposed()) {
            refreshNow();
            getDisplay().timerExec(settings.refreshMillis(), tick);
        }
    }

    private static Label label(Composite c, String text) {
        Label l = new Label(c, SWT.NONE);
        l.setText(text);
        return l;
    }

    private static Label field(Composite c, String name, int width) {
        Label n = label(c, name);
        n.setLayoutData(new GridData(SWT.RIGHT, SWT.CENTER, false, false));
        Label v = new Label(c, SWT.NONE);
        GridData g = new GridData(SWT.FILL, SWT.CENTER, false, false);
        g.widthHint = width;
        v.setLayoutData(g);
        return v;
    }

    /** Stops the timer and the background thread. */
    public void stop() {
        background.shutdownNow();
        if (!isDisposed()) {
            getDisplay().timerExec(-1, tick);
        }
    }

    /** From any thread: refresh soon on the UI thread. */
    public void requestRefresh() {
        Display d = isDisposed() ? null : getDisplay();
        if (d != null && !d.isDisposed()) {
            d.asyncExec(() -> {
                if (!isDisposed()) {
                    refreshNow();
                }
            });
        }
    }

    public void selectUnit(String unitId) {
        checkWidget();
        refreshNow(); // make sure the unit is listed
        int i = unit.indexOf(unitId);
        if (i < 0) {
            throw new IllegalArgumentException("No twin for unit '" + unitId + "' (units: "
                    + List.of(unit.getItems()) + ")");
        }
        unit.select(i);
        refreshNow();
    }

    /** The unit shown, if any. */
    public Optional<String> selectedUnit() {
        int i = unit.getSelectionIndex();
        return i < 0 ? Optional.empty() : Optional.of(unit.getItem(i));
    }

    /** How many refreshes ran (live-update evidence for tests and diagnostics). */
    public long refreshes() {
        return refreshes;
    }

    /** Re-reads the twins and updates every widget. */
    public void refreshNow() {
        checkWidget();
        refreshes++;
        TwinRegistry reg = services.registry();
        if (reg == null) {
            status.setText("Waiting for the twin registry (org.biotwin.api.twin.TwinRegistry) …");
            return;
        }
        // Unit list: keep the selection across changes.
        List<String> units = reg.twins().stream().map(Twin::unitId).toList();
        String sel = selectedUnit().orElse(null);
        if (!units.equals(List.of(unit.getItems()))) {
            unit.setItems(units.toArray(String[]::new));
            if (sel != null && units.contains(sel)) {
                unit.select(units.indexOf(sel));
            }
        }
        if (unit.getSelectionIndex() < 0 && !units.isEmpty()) {
            unit.select(0);
        }
        Twin twin = selectedUnit().flatMap(reg::twin).orElse(null);
        if (twin == null) {
            status.setText(units.isEmpty() ? "No twin configured (factory PID org.biotwin.engine.twin)" : "");
            return;
        }
        for (Twin t : reg.twins()) {
            data.track(t); // every unit's course, so switching units shows history
        }

        // Status line.
        TwinState s = twin.state().orElse(null);
        BatchRecord br = services.batchRecord();
        BatchContext ctx = null;
        if (br != null && s != null) {
            ctx = br.contextAt(twin.unitId(), s.time()).orElse(null);
        }
        batch.setText(ctx != null ? ctx.batchId() : s != null && s.batchId() != null ? s.batchId() : "—");
        phase.setText(ctx != null && ctx.phase() != null ? ctx.phase() : br == null ? "(no batch record)" : "—");
        model.setText(twin.activeModel().orElse("none"));
        estimate.setText(s == null ? "none yet" : String.format(Locale.ROOT, "%.1f h, %d samples", s.batchAge(),
                twin.samplesProcessed()));
        List<String> al = twin.alarms();
        alarmCount.setText(Integer.toString(al.size()));
        alarmCount.setForeground(getDisplay().getSystemColor(al.isEmpty() ? SWT.COLOR_BLACK : SWT.COLOR_RED));
        if (al.size() != alarms.getItemCount()) {
            alarms.setItems(al.toArray(String[]::new));
        }

        // Advisories, newest first; keep the selection by id.
        Advisor adv = services.advisor();
        List<Advisory> list = adv == null ? List.of() : adv.advisories(twin.unitId());
        Advisory selected = selectedAdvisory();
        if (!list.equals(shown)) {
            shown = list;
            advisories.removeAll();
            for (Advisory a : list) {
                TableItem it = new TableItem(advisories, SWT.NONE);
                WhatIfResult w = a.whatIf();
                it.setText(new String[] {SHORT.format(a.createdAt()), a.status().name(),
                    String.format(Locale.ROOT, "%.3g / %.3g / %.3g %s", w.gainP05(), w.gainP50(), w.gainP95(),
                            w.baseline().objectiveUnit()),
                    Double.isNaN(w.value()) ? "—" : String.format(Locale.ROOT, "%.0f %s", w.value(), w.currency()),
                    w.action().description()});
                if (selected != null && selected.id().equals(a.id())) {
                    advisories.select(advisories.getItemCount() - 1);
                }
            }
            if (advisories.getSelectionIndex() < 0 && !list.isEmpty()) {
                advisories.select(0);
            }
            selectionChanged();
        }
        review.setEnabled(adv != null);

        Advisory a = selectedAdvisory();
        for (TrendChart c : charts) {
            c.setData(data.chart(twin, c.data().variable(), services.history(), a));
        }
        status.setText("Live: " + (s == null ? "waiting for the first estimate" : "estimate of "
                + TIME.format(s.time())) + (adv == null ? " · advisor not available" : "")
                + (services.history() == null ? " · no measured history" : "") + " · refreshed "
                + TIME.format(Instant.now()));
        layout(new org.eclipse.swt.widgets.Control[] {batch, phase, model, estimate, alarmCount});
    }

    private @Nullable Advisory selectedAdvisory() {
        int i = advisories.getSelectionIndex();
        return i >= 0 && i < shown.size() ? shown.get(i) : null;
    }

    private void selectionChanged() {
        Advisory a = selectedAdvisory();
        boolean open = a != null && a.status() == AdvisoryStatus.OPEN && services.advisor() != null;
        accept.setEnabled(open);
        reject.setEnabled(open);
        details.setText(a == null ? "" : describe(a));
    }

    static String describe(Advisory a) {
        WhatIfResult w = a.whatIf();
        StringBuilder b = new StringBuilder();
        b.append(w.action().description()).append('\n');
        b.append("Why: ").append(String.join("; ", a.triggers())).append('\n');
        b.append(String.format(Locale.ROOT, "%s at harvest: %.4g → %.4g %s (median)%n", w.baseline().objective(),
                w.baseline().p50(), w.withAction().p50(), w.baseline().objectiveUnit()));
        b.append("Risk now → with action: ").append(risks(w.baseline().violationRisk(), w.withAction().violationRisk()));
        if (a.decision() != null) {
            var d = a.decision();
            b.append('\n').append(d.accepted() ? "Accepted" : "Rejected").append(" by ").append(d.printedName())
                    .append(" (").append(d.userId()).append(") at ").append(TIME.format(d.time())).append(": ")
                    .append(d.reason());
        }
        return b.toString();
    }

    private static String risks(Map<String, Double> before, Map<String, Double> after) {
        return before.keySet().stream().sorted().map(k -> String.format(Locale.ROOT, "%s %.0f %% → %.0f %%", k,
                100 * before.get(k), 100 * after.getOrDefault(k, Double.NaN))).collect(Collectors.joining(", "));
    }

    /** The open e-signature dialog, if any (tests drive it as an operator would). */
    public Optional<SignatureDialog> signatureDialog() {
        return dialog == null || dialog.shell().isDisposed() ? Optional.empty() : Optional.of(dialog);
    }

    /** Accept or reject the selected advisory: opens the e-signature dialog. */
    public void decide(boolean acceptIt) {
        Advisory a = selectedAdvisory();
        Advisor adv = services.advisor();
        if (a == null || adv == null || a.status() != AdvisoryStatus.OPEN) {
            return;
        }
        String meaning = acceptIt ? "Accept advice (ACCEPTED_ADVICE)" : "Reject advice (REJECTED_ADVICE)";
        String subject = "Unit " + a.unitId() + ", batch " + (a.batchId() == null ? "—" : a.batchId()) + ": "
                + a.whatIf().action().description();
        dialog = new SignatureDialog(getShell(), meaning, subject, (user, pw, reason) -> {
            Advisory d = adv.decide(a.id(), acceptIt, user, pw, reason);
            return d.status() + " by " + (d.decision() == null ? user : d.decision().printedName());
        }, ok -> {
            status.setText("Advisory " + ok);
            refreshNow();
        });
        dialog.open();
    }

    /** Asks the advisor to review the unit now, off the UI thread. */
    public void reviewNow() {
        Advisor adv = services.advisor();
        String u = selectedUnit().orElse(null);
        if (adv == null || u == null) {
            return;
        }
        review.setEnabled(false);
        status.setText("Reviewing " + u + " …");
        Display d = getDisplay();
        background.execute(() -> {
            String msg;
            try {
                msg = adv.advise(u).map(a -> "New advisory: " + a.whatIf().action().description())
                        .orElse("Batch on target: no advice");
            } catch (RuntimeException e) {
                msg = "Review failed: " + e.getMessage();
            }
            String m = msg;
            if (!d.isDisposed()) {
                d.asyncExec(() -> {
                    if (!isDisposed()) {
                        refreshNow();
                        status.setText(m);
                        review.setEnabled(true);
                    }
                });
            }
        });
    }

    /** The charts, in the configured order (tests inspect them). */
    public List<Composite> charts() {
        return List.copyOf(charts);
    }

    /** The plot area of a chart, in that chart's coordinates. */
    public static org.eclipse.swt.graphics.Rectangle plotArea(Composite chart) {
        return ((TrendChart) chart).plotArea();
    }
}
