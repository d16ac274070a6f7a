package org.biotwin.softsensor.internal;

import java.util.Arrays;
import java.util.List;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * Propagates a state and its state-transition matrix between two filter times.
 * <p>
 * Method: classical 4th-order Runge-Kutta on sub-steps of at most {@link #maxStep} h, split at every input
 * breakpoint and event, with the inputs held at their value at the start of each sub-step (they are piecewise
 * constant). The transition matrix of each sub-step is {@code I + Jh + (Jh)²/2} with the Jacobian {@code J} at the
 * sub-step's start (analytic from the model when it has one, forward differences otherwise); this is the usual
 * second-order discretisation for an EKF, whose linearisation is first order anyway. Events (bolus, withdrawal) in
 * {@code (t0, t1]} are applied as in the kinetic core, with their exact Jacobian. States declared non-negative are
 * clipped at zero after each sub-step and after each event.
 * <p>
 * Filter sample intervals (seconds to minutes) are far below the time constants of cell culture (hours), so RK4 on a
 * 0.05 h step is accurate well below measurement noise. Substrate-limited fed-batch is mildly stiff (the substrate's
 * eigenvalue reaches −100 /h), so each sub-step is also limited to {@code h·‖J‖∞ ≤ }{@value #STABILITY}, which keeps
 * the explicit method stable and accurate; truly stiff models (|λ| ≫ 1e4 /h) belong in the kinetic core's implicit
 * integrator, not in a filter's prediction.
 * <p>
 * Not thread-safe: owns work arrays. One propagator per filter session.
 */
final class ModelPropagator {

    /** Default longest sub-step, h. */
    static final double DEFAULT_MAX_STEP = 0.05;
    /**
     * Bound on h·‖J‖∞, which bounds h·|λ| for every eigenvalue λ of the Jacobian. RK4 is stable up to |λh| ≈ 2.78;
     * 0.25 keeps the local error of the fast (substrate-limited) modes near 1e-6 (their error term is (λh)⁵/120).
     */
    static final double STABILITY = 0.25;

    private final KineticModel model;
    private final double[] parameters;
    private final double maxStep;
    private final int n;
    private final StateKind[] kinds;
    private final boolean[] nonNegative;
    private final String[] stateNames;
    private final int volumeIndex;
    private final List<ModelInput> inputs;
    private OperatingSchedule schedule;
    private InputProfile[] profiles;
    private double[] breakpoints;

    // work arrays
    private final double[] u;
    private final double[] k1;
    private final double[] k2;
    private final double[] k3;
    private final double[] k4;
    private final double[] tmp;
    private final double[][] jac;
    private final double[][] stepStm;
    private final double[][] prod;

    ModelPropagator(KineticModel model, double[] parameters, OperatingSchedule schedule, double maxStep) {
        this.model = model;
        this.parameters = parameters.clone();
        this.maxStep = maxStep;
        List<StateVariable> states = model.states();
        this.n = states.size();
        this.kinds = new StateKind[n];
        this.nonNegative = new boolean[n];
        this.stateNames = new String[n];
        int vol = -1;
        for (int i = 0; i < n; i++) {
            kinds[i] = states.get(i).kind();
            nonNegative[i] = states.get(i).nonNegative();
            stateNames[i] = states.get(i).name();
            if (kinds[i] == StateKind.VOLUME) {
                vol = i;
            }
        }
        this.volumeIndex = vol;
        this.inputs = model.inputs();
        this.u = new double[inputs.size()];
        this.k1 = new double[n];
        this.k2 = new double[n];
        this.k3 = new double[n];
        this.k4 = new double[n];
        this.tmp = new double[n];
        this.jac = new double[n][n];
        this.stepStm = new double[n][n];
        this.prod = new double[n][n];
        setSchedule(schedule);
    }

    void setSchedule(OperatingSchedule s) {
        profiles = new InputProfile[inputs.size()];
        for (InputProfile p : s.profiles()) {
            int idx = -1;
            for (int j = 0; j < inputs.size(); j++) {
                if (inputs.get(j).name().equals(p.input())) {
                    idx = j;
                }
            }
            if (idx < 0) {
                throw new IllegalArgumentException(model.descriptor().coordinates() + " has no input '" + p.input()
                        + "' (inputs: " + inputs.stream().map(ModelInput::name).toList() + ")");
            }
            profiles[idx] = p;
        }
        if (!s.events().isEmpty() && volumeIndex < 0) {
            throw new IllegalArgumentException(model.descriptor().coordinates()
                    + " has no VOLUME state, so bolus and withdrawal events cannot be applied");
        }
        for (ProcessEvent e : s.events()) {
            if (e instanceof ProcessEvent.Bolus b) {
                for (String name : b.content().keySet()) {
                    if (model.stateIndex(name) < 0) {
                        throw new IllegalArgumentException("Bolus at " + b.time() + " h names unknown state '" + name
                                + "' of " + model.descriptor().coordinates());
                    }
                }
            }
        }
        this.schedule = s;
        this.breakpoints = s.profiles().stream().flatMapToDouble(p -> Arrays.stream(p.times())).sorted().distinct()
                .toArray();
    }

    OperatingSchedule schedule() {
        return schedule;
    }

    int dimension() {
        return n;
    }

    /**
     * Propagates {@code x} (modified in place) from {@code t0} to {@code t1}; if {@code stm} is not null it receives
     * the transition matrix.
     */
    void propagate(double t0, double[] x, double t1, double[][] stm) {
        clip(x);
        if (stm != null) {
            identity(stm);
        }
        double t = t0;
        while (t < t1) {
            double next = Math.min(t1, nextBreak(t));
            double[] in = inputsAt(t);
            rhs(t, x, in, k1);
            jacobian(t, x, in, k1);
            double h = Math.min(Math.min(maxStep, STABILITY / norm(jac)), next - t);
            if (next - t - h < 1e-12 * Math.max(1, Math.abs(t1))) {
                h = next - t; // avoid a sliver step before a breakpoint
            }
            step(t, x, in, h, stm);
            t = (h == next - t) ? next : t + h;
            applyEventsAt(t, x, stm, t0);
        }
    }

    private double nextBreak(double t) {
        double next = Double.POSITIVE_INFINITY;
        int i = Arrays.binarySearch(breakpoints, t);
        i = i < 0 ? -i - 1 : i + 1;
        if (i < breakpoints.length) {
            next = breakpoints[i];
        }
        for (ProcessEvent e : schedule.events()) {
            if (e.time() > t) {
                next = Math.min(next, e.time());
                break;
            }
        }
        return next;
    }

    private void applyEventsAt(double t, double[] x, double[][] stm, double t0) {
        for (ProcessEvent e : schedule.events()) {
            if (e.time() == t && e.time() > t0) {
                applyEvent(e, x, stm);
            }
        }
    }

    /** Inputs at {@code t}, into the work array. */
    double[] inputsAt(double t) {
        for (int j = 0; j < u.length; j++) {
            double def = inputs.get(j).defaultValue();
            u[j] = profiles[j] == null ? def : profiles[j].valueAt(t, def);
        }
        return u;
    }

    /** Step with k1 and the Jacobian already evaluated at (t, x). */
    private void step(double t, double[] x, double[] in, double h, double[][] stm) {
        for (int i = 0; i < n; i++) {
            tmp[i] = x[i] + 0.5 * h * k1[i];
        }
        rhs(t + 0.5 * h, tmp, in, k2);
        for (int i = 0; i < n; i++) {
            tmp[i] = x[i] + 0.5 * h * k2[i];
        }
        rhs(t + 0.5 * h, tmp, in, k3);
        for (int i = 0; i < n; i++) {
            tmp[i] = x[i] + h * k3[i];
        }
        rhs(t + h, tmp, in, k4);
        for (int i = 0; i < n; i++) {
            x[i] += h / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        clip(x);
        if (stm != null) {
            // stepStm = I + Jh + (Jh)^2/2
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += jac[i][k] * jac[k][j];
                    }
                    stepStm[i][j] = (i == j ? 1 : 0) + h * jac[i][j] + 0.5 * h * h * s;
                }
            }
            leftMultiply(stepStm, stm);
        }
    }

    private void rhs(double t, double[] y, double[] in, double[] out) {
        model.derivatives(t, y, parameters, in, out);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(out[i])) {
                throw new IllegalStateException(model.descriptor().coordinates() + " returned a non-finite derivative "
                        + "for state '" + stateNames[i] + "' at t = " + t + " h");
            }
        }
    }

    private void jacobian(double t, double[] x, double[] in, double[] f0) {
        if (model.hasJacobian()) {
            model.jacobian(t, x, parameters, in, jac);
            return;
        }
        // Forward differences; the increment balances truncation and round-off error (sqrt of machine epsilon).
        double[] xp = tmp;
        double[] fp = k2;
        System.arraycopy(x, 0, xp, 0, n);
        for (int j = 0; j < n; j++) {
            double dx = 1.5e-8 * Math.max(Math.abs(x[j]), 1e-3);
            xp[j] = x[j] + dx;
            model.derivatives(t, xp, parameters, in, fp);
            for (int i = 0; i < n; i++) {
                jac[i][j] = (fp[i] - f0[i]) / dx;
            }
            xp[j] = x[j];
        }
    }

    private void applyEvent(ProcessEvent event, double[] x, double[][] stm) {
        double[][] g = new double[n][n];
        identity(g);
        int v = volumeIndex;
        double vol = x[v];
        if (event instanceof ProcessEvent.Bolus b) {
            double vb = b.volume();
            double total = vol + vb;
            for (int i = 0; i < n; i++) {
                double content = b.content().getOrDefault(stateNames[i], 0.0);
                switch (kinds[i]) {
                    case CONCENTRATION -> {
                        double c = x[i];
                        x[i] = (c * vol + content * vb) / total;
                        g[i][i] = vol / total;
                        g[i][v] = vb * (c - content) / (total * total);
                    }
                    case AMOUNT -> x[i] += content;
                    default -> { }
                }
            }
            x[v] = total;
        } else if (event instanceof ProcessEvent.Withdrawal w) {
            double vw = Math.min(w.volume(), vol);
            double keep = (vol - vw) / vol;
            for (int i = 0; i < n; i++) {
                if (kinds[i] == StateKind.AMOUNT) {
                    double a = x[i];
                    x[i] = a * keep;
                    g[i][i] = keep;
                    g[i][v] = a * vw / (vol * vol);
                }
            }
            x[v] = vol - vw;
        }
        clip(x);
        if (stm != null) {
            leftMultiply(g, stm);
        }
    }

    private void clip(double[] x) {
        for (int i = 0; i < n; i++) {
            if (nonNegative[i] && x[i] < 0) {
                x[i] = 0;
            }
        }
    }

    /** stm := a · stm. */
    private void leftMultiply(double[][] a, double[][] stm) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i][k] * stm[k][j];
                }
                prod[i][j] = s;
            }
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(prod[i], 0, stm[i], 0, n);
        }
    }

    private static double norm(double[][] m) {
        double max = 0;
        for (double[] row : m) {
            double sum = 0;
            for (double v : row) {
                sum += Math.abs(v);
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    private static void identity(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            Arrays.fill(m[i], 0);
            m[i][i] = 1;
        }
    }
}
