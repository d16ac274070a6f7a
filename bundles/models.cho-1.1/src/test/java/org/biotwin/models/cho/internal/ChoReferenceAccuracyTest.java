package org.biotwin.models.cho.internal;

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
import java.util.Map;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Accuracy of the kinetic core's simulation of this model against the independent SciPy reference
 * ({@code reference/cho_mab_fedbatch_reference.py} of this bundle, version 1.1.0 schedule, Radau at rtol 1e-12): at rtol 1e-9 every state agrees to 1e-6
 * relative, with an absolute floor of 1e-8 times the state's largest reference value for states near zero.
 */
class ChoReferenceAccuracyTest {

    // The schedule of the reference script: keep the two in step.
    static final double[] Y0 = {0.4, 0.02, 35.0, 6.0, 2.0, 1.0, 0.0, 1000.0};
    static final double END = 336.0;
    static final double FEED_GLC = 555.0; // mmol/L
    static final double FEED_GLN = 80.0; // mmol/L
    static final double BOLUS_VOLUME = 40.0; // L, 4 % of the initial volume
    static final Map<String, Double> BOLUS_CONTENT = Map.of("GLC", FEED_GLC, "GLN", FEED_GLN);

    static String csv() {
        return "/reference/cho-mab-fedbatch-1.1.0.csv";
    }

    static OperatingSchedule schedule() {
        List<ProcessEvent> events = new ArrayList<>();
        for (int d = 3; d < 14; d++) {
            events.add(new ProcessEvent.Bolus(24.0 * d + 2.0, BOLUS_VOLUME, BOLUS_CONTENT));
        }
        for (int d = 1; d < 14; d++) {
            events.add(new ProcessEvent.Withdrawal(24.0 * d + 1.0, 0.5));
        }
        return new OperatingSchedule(List.of(), events);
    }

    @ParameterizedTest
    @EnumSource(value = SolverChoice.class, names = {"NON_STIFF", "STIFF", "AUTO"})
    void statesAgreeWithTheSciPyReference(SolverChoice choice) throws IOException {
        ChoMabFedBatchModel model = new ChoMabFedBatchModel();
        double[][] ref = read(csv());
        double[] times = Arrays.stream(ref).mapToDouble(r -> r[0]).toArray();
        SolverSettings settings = new SolverSettings(choice, 1e-9, 1e-3, 5_000_000, Duration.ofSeconds(60));
        Trajectory tr = new SimulatorComponent().simulate(new SimulationRequest(model, Y0, model.nominalParameters(),
                0.0, END, times, schedule(), settings));
        double[][] states = tr.states();
        int n = Y0.length;
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
        System.out.printf("cho.mab.fedbatch:%s %s rtol 1e-9: worst error/allowed %.3g, rhs %d, jac %d, steps %d%n",
                model.descriptor().version(), choice, worst, tr.statistics().rhsEvaluations(),
                tr.statistics().jacobianEvaluations(), tr.statistics().acceptedSteps());
    }

    static double[][] read(String resource) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ChoReferenceAccuracyTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
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
