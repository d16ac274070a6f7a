package org.biotwin.models.penicillin.internal;


import java.io.IOException;
import java.util.List;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ReferenceTrajectory;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Accuracy of the kinetic core's simulation of this model against the independent SciPy reference
 * ({@code reference/penicillin_pensim_reference.py}, Radau at rtol 1e-12): at rtol 1e-9 every state agrees to 1e-6
 * relative, with an absolute floor of 1e-8 times the state's largest reference value for states near zero.
 */
class PenSimReferenceAccuracyTest {

    // The schedule of the reference script (PenSim defaults): keep the two in step.
    static final double[] Y0 = {0.1, 15.0, 1.16, 0.0, 100.0};
    static final double END = 400.0;
    static final double FEED_ON = 45.0; // h
    static final double FEED_RATE = 0.045; // L/h

    static String csv() {
        return "/reference/penicillin-pensim-1.0.0.csv";
    }

    static OperatingSchedule schedule() {
        return new OperatingSchedule(
                List.of(new InputProfile("F_s", new double[] {0.0, FEED_ON}, new double[] {0.0, FEED_RATE})),
                List.of());
    }

    @ParameterizedTest
    @EnumSource(value = SolverChoice.class, names = {"NON_STIFF", "STIFF", "AUTO"})
    void statesAgreeWithTheSciPyReference(SolverChoice choice) throws IOException {
        ReferenceTrajectory.assertAgrees(new SimulatorComponent(), new PenSimModel(), Y0, END, schedule(),
                ReferenceTrajectory.read(getClass(), csv()), choice);
    }
}
