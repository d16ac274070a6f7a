package org.biotwin.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;

/**
 * The accuracy check every model bundle runs against its independent SciPy reference trajectory (a CSV of time and
 * every state, Radau at rtol 1e-12): simulated at rtol 1e-9, every state agrees to 1e-6 relative, with an absolute
 * floor of 1e-8 times the state's largest reference value for states near zero. Stateless.
 */
public final class ReferenceTrajectory {

    private ReferenceTrajectory() {
    }

    /** Simulates {@code model} from {@code y0} under {@code schedule} and compares it with {@code ref}. */
    public static void assertAgrees(Simulator simulator, KineticModel model, double[] y0, double end,
            OperatingSchedule schedule, double[][] ref, SolverChoice choice) {
        double[] times = Arrays.stream(ref).mapToDouble(r -> r[0]).toArray();
        SolverSettings settings = new SolverSettings(choice, 1e-9, 1e-3, 5_000_000, Duration.ofSeconds(60));
        Trajectory tr = simulator.simulate(new SimulationRequest(model, y0, model.nominalParameters(), 0.0, end,
                times, schedule, settings));
        double[][] states = tr.states();
        int n = y0.length;
        double[] floor = new double[n];
        for (int i = 0; i < n; i++) {
            for (double[] row : ref) {
                floor[i] = Math.max(floor[i], 1e-8 * Math.abs(row[i + 1]));
            }
        }
        double worst = 0;
        for (int k = 0; k < times.length; k++) {
            for (int i = 0; i < n; i++) {
                double expected = ref[k][i + 1];
                double err = Math.abs(states[k][i] - expected);
                double allowed = 1e-6 * Math.abs(expected) + floor[i];
                worst = Math.max(worst, err / allowed);
                if (!(err <= allowed)) {
                    fail(choice + ": " + model.states().get(i).name() + " at " + times[k] + " h: " + states[k][i]
                            + " vs reference " + expected + " (error " + err + ", allowed " + allowed + ")");
                }
            }
        }
        assertThat(worst).isLessThanOrEqualTo(1.0);
        System.out.printf("%s %s rtol 1e-9: worst error/allowed %.3g, rhs %d, jac %d, steps %d%n",
                model.descriptor().coordinates(), choice, worst, tr.statistics().rhsEvaluations(),
                tr.statistics().jacobianEvaluations(), tr.statistics().acceptedSteps());
    }

    /** The reference CSV (a header line, then time and every state per row; {@code #} lines are comments). */
    public static double[][] read(Class<?> owner, String resource) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(owner.getResourceAsStream(resource),
                StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                rows.add(Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        assertThat(rows).as("reference rows in " + resource).hasSizeGreaterThan(10);
        return rows.toArray(double[][]::new);
    }
}
