package org.biotwin.models.cho.internal;


import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ReferenceTrajectory;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Accuracy of the kinetic core's simulation of this model against the independent SciPy reference
 * ({@code reference/cho_mab_fedbatch_reference.py}, Radau at rtol 1e-12): at rtol 1e-9 every state agrees to 1e-6
 * relative, with an absolute floor of 1e-8 times the state's largest reference value for states near zero.
 */
class ChoReferenceAccuracyTest {

    // The schedule of the reference script: keep the two in step.
    static final double[] Y0 = {0.4, 0.02, 35.0, 6.0, 2.0, 1.0, 0.0, 1000.0};
    static final double END = 336.0;
    static final double FEED_GLC = 300.0; // mmol/L
    static final double FEED_GLN = 40.0; // mmol/L
    static final double BOLUS_VOLUME = 30.0; // L, 3 % of the initial volume
    static final Map<String, Double> BOLUS_CONTENT = Map.of("GLC", FEED_GLC, "GLN", FEED_GLN);

    static String csv() {
        return "/reference/cho-mab-fedbatch-1.0.0.csv";
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
        ReferenceTrajectory.assertAgrees(new SimulatorComponent(), new ChoMabFedBatchModel(), Y0, END, schedule(),
                ReferenceTrajectory.read(getClass(), csv()), choice);
    }
}
