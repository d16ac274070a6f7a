package org.biotwin.ui.swt;

import java.util.Optional;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.ui.swt.internal.PanelSettings;
import org.biotwin.ui.swt.internal.PanelView;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.jspecify.annotations.Nullable;

/**
 * The twin panel as an e4 part: a plain class that builds the view on the {@code Composite} it is given, for Eclipse
 * RCP MES clients (contributed by this bundle's {@code fragment.e4xmi}) and for any SWT program (construct it with
 * the services and call {@link #createControls(Composite)}).
 * <p>
 * What it shows, per unit (selector at the top): status (batch, ISA-88 phase, active model, estimate age, alarms),
 * trajectory charts of the configured observables (measured, estimated, predicted 5-95 % band to harvest, and the
 * selected advisory's course), the advisories with accept and reject through the electronic-signature dialog, and the
 * alarms. Live: it re-reads the twin every {@link PanelSettings#refreshMillis()} on the UI thread
 * ({@code Display.timerExec}); the twin's getters return immutable snapshots, so a refresh never blocks on the
 * engine. Advice reviews and signatures run off the UI thread and come back with {@code asyncExec}.
 * <p>
 * Injection: e4 calls {@link #services} again whenever one of the services appears, changes or goes away (all
 * optional, so the part opens before the suite has started and says what it waits for). Both {@code jakarta.*}
 * (e4 of Eclipse 4.28+, required by 4.30's injector) and {@code javax.*} (older e4) annotations are present; the
 * bundle imports them optionally. UI thread only, except {@link #services}, which may be called from any thread.
 */
public final class TwinPart {

    /** The part descriptor's element id in the model fragment. */
    public static final String PART_ID = "org.biotwin.ui.swt.part.twin";

    private final PanelSettings settings;
    private volatile @Nullable TwinRegistry registry;
    private volatile @Nullable Advisor advisor;
    private volatile @Nullable BatchRecord batchRecord;
    private volatile @Nullable MeasuredHistory history;
    private @Nullable PanelView view;

    /** For e4: services arrive through {@link #services}; CHO defaults for the charts. */
    public TwinPart() {
        this.settings = PanelSettings.DEFAULTS;
    }

    /** For plain SWT use: the services at hand (only the registry is required) and the CHO chart defaults. */
    public TwinPart(TwinRegistry registry, @Nullable Advisor advisor, @Nullable BatchRecord batchRecord,
            @Nullable MeasuredHistory history) {
        this(registry, advisor, batchRecord, history, PanelSettings.DEFAULTS);
    }

    /** For plain SWT use with other charts or tag mapping. */
    public TwinPart(TwinRegistry registry, @Nullable Advisor advisor, @Nullable BatchRecord batchRecord,
            @Nullable MeasuredHistory history, PanelSettings settings) {
        this.settings = settings;
        services(registry, advisor, batchRecord, history);
    }

    /**
     * The services the part uses; e4 injects them (and re-injects on change) from the application context, which
     * falls back to the OSGi service registry. A null service shows as missing in the panel.
     */
    @jakarta.inject.Inject
    @javax.inject.Inject
    public void services(@org.eclipse.e4.core.di.annotations.Optional @Nullable TwinRegistry registry,
            @org.eclipse.e4.core.di.annotations.Optional @Nullable Advisor advisor,
            @org.eclipse.e4.core.di.annotations.Optional @Nullable BatchRecord batchRecord,
            @org.eclipse.e4.core.di.annotations.Optional @Nullable MeasuredHistory history) {
        this.registry = registry;
        this.advisor = advisor;
        this.batchRecord = batchRecord;
        this.history = history;
        PanelView v = view;
        if (v != null) {
            v.requestRefresh(); // from any thread: marshalled to the UI thread
        }
    }

    /** Builds the view on {@code parent}; e4 calls it once after injection. A second call does nothing. */
    @jakarta.annotation.PostConstruct
    @javax.annotation.PostConstruct
    public void createControls(Composite parent) {
        if (view != null && !view.isDisposed()) {
            return; // both annotation flavours seen by one injector: build once
        }
        view = new PanelView(parent, settings, new PanelView.Services() {
            @Override
            public @Nullable TwinRegistry registry() {
                return registry;
            }

            @Override
            public @Nullable Advisor advisor() {
                return advisor;
            }

            @Override
            public @Nullable BatchRecord batchRecord() {
                return batchRecord;
            }

            @Override
            public @Nullable MeasuredHistory history() {
                return history;
            }
        });
    }

    /** Stops the live updates and the background work; the widgets go with their parent. */
    @jakarta.annotation.PreDestroy
    @javax.annotation.PreDestroy
    public void dispose() {
        PanelView v = view;
        if (v != null) {
            v.stop();
        }
    }

    /** Gives the unit selector the focus (e4's {@code @Focus}; call it from the part's focus handling). */
    public void setFocus() {
        PanelView v = view;
        if (v != null && !v.isDisposed()) {
            v.setFocus();
        }
    }

    /** The root control, once created. */
    public Optional<Control> control() {
        return Optional.ofNullable(view);
    }

    /** Shows a unit (UI thread). */
    public void selectUnit(String unitId) {
        PanelView v = view;
        if (v != null) {
            v.selectUnit(unitId);
        }
    }

    /** Re-reads the twin now (UI thread). */
    public void refresh() {
        PanelView v = view;
        if (v != null) {
            v.refreshNow();
        }
    }
}
