package org.biotwin.kinetics.internal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.biotwin.api.kinetics.Trajectory;

/**
 * Agreement with a reference trajectory: {@code |y - y_ref| <= REL * |y_ref| + floor_i} at every output time, with
 * {@code REL = 1e-6}. The absolute floor per state covers components that pass through or start at zero, where a
 * relative criterion is meaningless; each test states its floors (10 to 100 times the state's absolute tolerance).
 */
final class ReferenceAssert {
    static final double REL = 1e-6;

    private ReferenceAssert() {
    }

    /** Returns the worst ratio error / allowed (must be <= 1). */
    static double assertAgrees(Trajectory tr, ReferenceData ref, double[] floors, String label) {
        assertThat(tr.stateNames()).as(label + " columns").isEqualTo(ref.columns());
        assertThat(tr.times()).as(label + " times").containsExactly(ref.times());
        double[][] s = tr.states();
        double worst = 0;
        String where = "";
        for (int k = 0; k < s.length; k++) {
            for (int i = 0; i < s[k].length; i++) {
                double yr = ref.states()[k][i];
                double allowed = REL * Math.abs(yr) + floors[i];
                double ratio = Math.abs(s[k][i] - yr) / allowed;
                if (ratio > worst) {
                    worst = ratio;
                    where = ref.columns().get(i) + " at t = " + ref.times()[k] + ": " + s[k][i] + " vs reference " + yr;
                }
            }
        }
        assertThat(worst).as(label + ": worst error / allowed, " + where).isLessThanOrEqualTo(1.0);
        return worst;
    }
}
