package org.biotwin.kinetics.internal.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * One simulation: checks the request against the model, cuts {@code [startTime, endTime]} into segments at every input
 * breakpoint and event, integrates each segment, applies the events, and collects states and observables at the
 * output times.
 * <p>
 * <b>Segments.</b> Breakpoints are the times of all input profiles and events strictly inside
 * {@code (startTime, endTime)}. Inputs are constant within a segment (their value from the segment start), so every
 * discontinuity of the right-hand side falls on a segment boundary, where the integration restarts.
 * <p>
 * <b>Events</b> are applied at their time using each state's {@link StateKind}, with {@code V} the broth volume before
 * the event:
 * <ul>
 * <li>{@link ProcessEvent.Bolus} of volume {@code Vb}: VOLUME {@code V + Vb}; CONCENTRATION
 * {@code (c V + c_b Vb) / (V + Vb)} with {@code c_b} from the bolus content (0 when absent); AMOUNT {@code m + m_b};
 * INTENSIVE unchanged.</li>
 * <li>{@link ProcessEvent.Withdrawal} of volume {@code Vw < V}: VOLUME {@code V - Vw}; AMOUNT
 * {@code m (V - Vw) / V}; CONCENTRATION and INTENSIVE unchanged.</li>
 * </ul>
 * Several events at one time are applied in schedule order. Events and breakpoints before {@code startTime} are taken as
 * already reflected in the initial state; those after {@code endTime} are ignored. An event at {@code startTime} is
 * applied before integrating, one at {@code endTime} after.
 * <p>
 * <b>Output at an event time is the state after the event</b> (and observables use the inputs valid from that time on).
 * <p>
 * <b>Integrator choice.</b> NON_STIFF: Dormand-Prince 8(5,3) on every segment. STIFF: RODAS4 on every segment. AUTO:
 * Dormand-Prince with the stiffness indicator of {@link NonStiffIntegrator}; once it trips, the rest of that segment and
 * all later segments use RODAS4 (stiffness of a fed-batch model rarely disappears after a feed switch).
 * <p>
 * Not thread-safe; created per simulation by {@link SimulationEngine}.
 */
final class SimulationRun {

    private final SimulationRequest request;
    private final KineticModel model;
    private final String coordinates;
    private final List<StateVariable> states;
    private final List<ModelInput> inputs;
    private final List<Observable> observables;
    private final int n;
    private final double[] y;
    private final double[] p;
    private final double[] atol;
    private final StateKind[] kinds;
    private final boolean[] nonNegative;
    private final int volumeIndex;
    private final double start;
    private final double end;
    private final double[] outputTimes;
    private final InputProfile[] profileOfInput;
    private final List<ProcessEvent> events;
    private final int[][] bolusStates;
    private final double[][] bolusValues;
    private final SolverSettings settings;

    SimulationRun(SimulationRequest request) {
        this.request = request;
        this.model = request.model();
        this.coordinates = model.descriptor().coordinates();
        this.states = model.states();
        this.inputs = model.inputs();
        this.observables = model.observables();
        this.settings = request.settings();
        this.n = states.size();
        this.start = request.startTime();
        this.end = request.endTime();

        // Phase 1: dimensions and values of the state and parameter vectors.
        this.y = request.initialState();
        this.p = request.parameters();
        int np = model.parameters().size();
        if (n == 0) {
            throw fail("the model declares no states");
        }
        if (y.length != n) {
            throw fail("initial state has " + y.length + " values but the model has " + n + " states "
                    + stateNames());
        }
        if (p.length != np) {
            throw fail("parameter vector has " + p.length + " values but the model has " + np + " parameters "
                    + model.parameters().stream().map(q -> q.name()).toList());
        }
        this.atol = new double[n];
        this.kinds = new StateKind[n];
        this.nonNegative = new boolean[n];
        int vol = -1;
        for (int i = 0; i < n; i++) {
            StateVariable s = states.get(i);
            kinds[i] = s.kind();
            nonNegative[i] = s.nonNegative();
            atol[i] = s.absTolerance() * settings.absToleranceScale();
            if (!Double.isFinite(y[i])) {
                throw fail("initial value of state '" + s.name() + "' is " + y[i]);
            }
            if (nonNegative[i] && y[i] < 0) {
                throw fail("initial value of state '" + s.name() + "' is " + y[i] + " " + s.unit()
                        + " but the state cannot be negative");
            }
            if (s.kind() == StateKind.VOLUME) {
                if (vol >= 0) {
                    throw fail("states '" + states.get(vol).name() + "' and '" + s.name()
                            + "' are both of kind VOLUME; a model has at most one");
                }
                vol = i;
            }
        }
        this.volumeIndex = vol;
        for (int k = 0; k < np; k++) {
            if (!Double.isFinite(p[k])) {
                throw fail("parameter '" + model.parameters().get(k).name() + "' is " + p[k]);
            }
        }

        // Phase 2: time window and output times.
        if (!Double.isFinite(start) || !Double.isFinite(end) || !(end > start)) {
            throw fail("time window [" + start + ", " + end + "] h is empty or not finite");
        }
        this.outputTimes = request.outputTimes();
        if (outputTimes.length == 0) {
            throw fail("no output times requested");
        }
        for (int k = 0; k < outputTimes.length; k++) {
            double t = outputTimes[k];
            if (!(t >= start && t <= end)) {
                throw fail("output time " + t + " h at index " + k + " is outside the simulated window [" + start
                        + ", " + end + "] h");
            }
            if (k > 0 && !(t > outputTimes[k - 1])) {
                throw fail("output times are not strictly increasing at index " + k + " (" + outputTimes[k - 1]
                        + " h, " + t + " h)");
            }
        }

        // Phase 3: schedule against the model's inputs and states.
        OperatingSchedule schedule = request.schedule();
        this.profileOfInput = new InputProfile[inputs.size()];
        for (InputProfile prof : schedule.profiles()) {
            int k = inputIndex(prof.input());
            if (k < 0) {
                throw fail("the schedule has a profile for unknown input '" + prof.input() + "'; the model's inputs are "
                        + inputs.stream().map(ModelInput::name).toList());
            }
            profileOfInput[k] = prof;
        }
        List<ProcessEvent> inWindow = new ArrayList<>();
        for (ProcessEvent e : schedule.events()) {
            if (e.time() >= start && e.time() <= end) {
                inWindow.add(e);
            }
        }
        this.events = List.copyOf(inWindow);
        this.bolusStates = new int[events.size()][];
        this.bolusValues = new double[events.size()][];
        for (int k = 0; k < events.size(); k++) {
            ProcessEvent e = events.get(k);
            if (volumeIndex < 0) {
                throw fail("the schedule has a " + describe(e) + " but the model has no state of kind VOLUME");
            }
            if (e instanceof ProcessEvent.Bolus b) {
                int[] idx = new int[b.content().size()];
                double[] val = new double[idx.length];
                int m = 0;
                for (Map.Entry<String, Double> c : b.content().entrySet()) {
                    int i = model.stateIndex(c.getKey());
                    if (i < 0) {
                        throw fail(describe(e) + " carries unknown state '" + c.getKey() + "'; the model's states are "
                                + stateNames());
                    }
                    if (kinds[i] != StateKind.CONCENTRATION && kinds[i] != StateKind.AMOUNT) {
                        throw fail(describe(e) + " carries state '" + c.getKey() + "' of kind " + kinds[i]
                                + "; a bolus carries only CONCENTRATION or AMOUNT states");
                    }
                    double v = c.getValue();
                    if (!Double.isFinite(v) || (nonNegative[i] && v < 0)) {
                        throw fail(describe(e) + " has content " + v + " " + states.get(i).unit() + " of state '"
                                + c.getKey() + "'");
                    }
                    idx[m] = i;
                    val[m++] = v;
                }
                bolusStates[k] = idx;
                bolusValues[k] = val;
            }
        }
    }

    Trajectory run() {
        Budget budget = new Budget(coordinates, settings.maxSteps(), settings.wallClockBudget());
        RunStatistics stats = new RunStatistics();
        String[] names = states.stream().map(StateVariable::name).toArray(String[]::new);
        ModelFunction f = new ModelFunction(model, coordinates, names, nonNegative, p, inputs.size(), budget);
        OutputRecorder out = new OutputRecorder(outputTimes, n, nonNegative);
        double rtol = settings.relTolerance();
        SolverChoice choice = settings.choice();
        NonStiffIntegrator explicit = choice == SolverChoice.STIFF ? null
                : new NonStiffIntegrator(f, atol, rtol, budget, stats, out, start, end);
        RosenbrockIntegrator implicit = null;
        boolean stiff = choice == SolverChoice.STIFF;
        double stiffStep = -1;

        double[] bounds = segmentBounds();
        int nextEvent = applyEvents(0, start);
        for (int s = 0; s + 1 < bounds.length; s++) {
            double a = bounds[s];
            double b = bounds[s + 1];
            setInputs(f.inputs(), a);
            while (out.pendingAtOrBefore(a)) {
                out.record(y);
            }
            stats.segments++;
            if (!stiff) {
                try {
                    explicit.integrate(a, y, b, choice == SolverChoice.AUTO);
                } catch (NonStiffIntegrator.StiffnessDetected e) {
                    System.arraycopy(e.state, 0, y, 0, n);
                    a = e.time;
                    stiff = true;
                    stiffStep = e.lastStep;
                }
            }
            if (stiff) {
                stats.stiffSegments++;
                if (implicit == null) {
                    implicit = new RosenbrockIntegrator(f, atol, rtol, budget, stats, out);
                }
                stiffStep = implicit.integrate(a, y, b, stiffStep);
            }
            projectNonNegative();
            nextEvent = applyEvents(nextEvent, b);
        }
        setInputs(f.inputs(), end);
        while (out.pendingAtOrBefore(end)) {
            out.record(y);
        }
        if (out.recorded() != outputTimes.length) {
            throw new IllegalStateException("Model " + coordinates + ": " + out.recorded() + " of "
                    + outputTimes.length + " outputs recorded");
        }
        return new Trajectory(List.of(names), observables.stream().map(Observable::name).toList(), outputTimes,
                out.states(), observe(out.states()), stats.freeze(f.evaluations()));
    }

    /** Sorted distinct segment boundaries: start, interior breakpoints and event times, end. */
    private double[] segmentBounds() {
        double[] cuts = new double[2 + events.size() + Arrays.stream(profileOfInput).mapToInt(
                pr -> pr == null ? 0 : pr.times().length).sum()];
        int m = 0;
        cuts[m++] = start;
        cuts[m++] = end;
        for (InputProfile pr : profileOfInput) {
            if (pr != null) {
                for (double t : pr.times()) {
                    if (t > start && t < end) {
                        cuts[m++] = t;
                    }
                }
            }
        }
        for (ProcessEvent e : events) {
            if (e.time() > start && e.time() < end) {
                cuts[m++] = e.time();
            }
        }
        double[] sorted = Arrays.copyOf(cuts, m);
        Arrays.sort(sorted);
        int k = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[k - 1]) {
                sorted[k++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, k);
    }

    private void setInputs(double[] u, double t) {
        for (int k = 0; k < u.length; k++) {
            InputProfile pr = profileOfInput[k];
            double dflt = inputs.get(k).defaultValue();
            u[k] = pr == null ? dflt : pr.valueAt(t, dflt);
        }
    }

    /** Applies the events at time {@code t}, starting at index {@code next}; returns the next unapplied index. */
    private int applyEvents(int next, double t) {
        while (next < events.size() && events.get(next).time() <= t) {
            ProcessEvent e = events.get(next);
            if (e instanceof ProcessEvent.Bolus b) {
                applyBolus(b, bolusStates[next], bolusValues[next]);
            } else if (e instanceof ProcessEvent.Withdrawal w) {
                applyWithdrawal(w);
            }
            next++;
        }
        return next;
    }

    private void applyBolus(ProcessEvent.Bolus b, int[] idx, double[] val) {
        double v = y[volumeIndex];
        double vb = b.volume();
        double vNew = v + vb;
        double[] content = new double[n];
        for (int m = 0; m < idx.length; m++) {
            content[idx[m]] = val[m];
        }
        for (int i = 0; i < n; i++) {
            switch (kinds[i]) {
                case VOLUME -> y[i] = vNew;
                case CONCENTRATION -> {
                    if (vNew > 0) {
                        y[i] = (y[i] * v + content[i] * vb) / vNew;
                    }
                }
                case AMOUNT -> y[i] += content[i];
                case INTENSIVE -> { }
            }
        }
    }

    private void applyWithdrawal(ProcessEvent.Withdrawal w) {
        double v = y[volumeIndex];
        double vw = w.volume();
        if (!(vw < v)) {
            throw fail(describe(w) + " removes " + vw + " L but the broth volume is only " + v + " L");
        }
        double keep = (v - vw) / v;
        for (int i = 0; i < n; i++) {
            switch (kinds[i]) {
                case VOLUME -> y[i] = v - vw;
                case AMOUNT -> y[i] *= keep;
                case CONCENTRATION, INTENSIVE -> { }
            }
        }
    }

    private void projectNonNegative() {
        for (int i = 0; i < n; i++) {
            if (nonNegative[i] && y[i] < 0) {
                y[i] = 0;
            }
        }
    }

    private double[][] observe(double[][] ys) {
        int no = observables.size();
        double[][] z = new double[ys.length][no];
        if (no == 0) {
            return z;
        }
        double[] u = new double[inputs.size()];
        for (int k = 0; k < ys.length; k++) {
            setInputs(u, outputTimes[k]);
            try {
                model.observe(outputTimes[k], ys[k], p, u, z[k]);
            } catch (RuntimeException e) {
                throw fail("its measurement functions threw " + e + " at t = " + outputTimes[k] + " h");
            }
            for (int j = 0; j < no; j++) {
                if (!Double.isFinite(z[k][j])) {
                    throw fail("observable '" + observables.get(j).name() + "' is " + z[k][j] + " at t = "
                            + outputTimes[k] + " h");
                }
            }
        }
        return z;
    }

    private int inputIndex(String name) {
        for (int k = 0; k < inputs.size(); k++) {
            if (inputs.get(k).name().equals(name)) {
                return k;
            }
        }
        return -1;
    }

    private List<String> stateNames() {
        return states.stream().map(StateVariable::name).toList();
    }

    private static String describe(ProcessEvent e) {
        if (e instanceof ProcessEvent.Bolus b) {
            return "bolus of " + b.volume() + " L at t = " + b.time() + " h";
        }
        return "withdrawal of " + ((ProcessEvent.Withdrawal) e).volume() + " L at t = " + e.time() + " h";
    }

    private SimulationException fail(String what) {
        return new SimulationException("Model " + coordinates + ": " + what);
    }
}
