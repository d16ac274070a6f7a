package org.biotwin.models.cho.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.KineticModelContract;
import org.junit.jupiter.api.Test;

/** Contract, balance and literature-value checks of {@code cho.mab.fedbatch} 1.1.0. */
class ChoMabFedBatchModelTest extends KineticModelContract {

    private final ChoMabFedBatchModel model = new ChoMabFedBatchModel();

    @Override
    protected KineticModel model() {
        return model;
    }

    @Override
    protected List<double[]> inputCases() {
        return List.of(new double[] {2.5, 300, 40}, new double[] {40, 555, 80});
    }

    @Test
    void identityMatchesTheBundle() {
        assertThat(model.descriptor().id()).isEqualTo("cho.mab.fedbatch");
        assertThat(model.descriptor().version()).isEqualTo("1.1.0");
        assertThat(model.states().stream().map(s -> s.name()).toList())
                .containsExactly("Xv", "Xd", "GLC", "GLN", "LAC", "AMM", "MAB", "V");
    }

    /** The values of Moeller et al. 2018, Table 2, in the model's units; the 1.0.0 values (Xing 2010) elsewhere. */
    @Test
    void nominalParametersAreThePublishedValues() {
        double[] p = model.nominalParameters();
        assertThat(p[ChoMabFedBatchModel.MU_MAX]).isEqualTo(0.039);
        assertThat(p[ChoMabFedBatchModel.K_D]).isEqualTo(0.004);
        assertThat(p[ChoMabFedBatchModel.K_GLC]).isEqualTo(1.00);
        assertThat(p[ChoMabFedBatchModel.K_GLN]).isEqualTo(0.047);
        assertThat(p[ChoMabFedBatchModel.KI_LAC]).isEqualTo(43.0);
        assertThat(p[ChoMabFedBatchModel.KI_AMM]).isEqualTo(6.51);
        assertThat(p[ChoMabFedBatchModel.KD_LAC]).isEqualTo(45.8);
        assertThat(p[ChoMabFedBatchModel.KD_AMM]).isEqualTo(6.51);
        assertThat(p[ChoMabFedBatchModel.Y_X_GLC] * 1e9).isCloseTo(0.357e9, within(1.0));
        assertThat(p[ChoMabFedBatchModel.Y_X_GLN] * 1e9).isCloseTo(0.974e9, within(1.0));
        assertThat(p[ChoMabFedBatchModel.Y_LAC_GLC]).isEqualTo(0.70);
        assertThat(p[ChoMabFedBatchModel.Y_AMM_GLN]).isEqualTo(0.67);
        assertThat(p[ChoMabFedBatchModel.M_GLC] * 1e-9).isCloseTo(69.2e-12, within(1e-18));
        assertThat(p[ChoMabFedBatchModel.A1] * 1e-9).isCloseTo(3.2e-12, within(1e-18));
        assertThat(p[ChoMabFedBatchModel.A2]).isEqualTo(2.1);
        assertThat(p[ChoMabFedBatchModel.R_AMM] * 1e-9).isCloseTo(6.3e-12, within(1e-18));
        assertThat(p[ChoMabFedBatchModel.Q_MAB] * 1e-12).isCloseTo(1.51e-12, within(1e-18));
    }

    /** A hot swap hands states over by name: 1.1.0 keeps the names, units and kinds of 1.0.0. */
    @Test
    void statesAreHandOverCompatibleWithVersion100() {
        assertThat(model.states().stream().map(s -> s.name() + "[" + s.unit() + "," + s.kind() + "]").toList())
                .containsExactly("Xv[10*9{cells}/L,CONCENTRATION]", "Xd[10*9{cells}/L,CONCENTRATION]",
                        "GLC[mmol/L,CONCENTRATION]", "GLN[mmol/L,CONCENTRATION]", "LAC[mmol/L,CONCENTRATION]",
                        "AMM[mmol/L,CONCENTRATION]", "MAB[mg/L,CONCENTRATION]", "V[L,VOLUME]");
    }

    /**
     * Feed balance: for every concentration C, d(C V)/dt = V r(y) + F c_in, i.e. the feed only adds its content and
     * dilutes; it never creates or destroys anything. Checked by comparing the right-hand side with and without feed.
     */
    @Test
    void feedAddsExactlyItsContent() {
        double[] y = {3.2, 0.8, 20, 3, 40, 5, 700, 1200};
        double[] p = model.nominalParameters();
        double f = 12.5, cGlc = 555, cGln = 80;
        double[] withFeed = new double[8];
        double[] noFeed = new double[8];
        model.derivatives(100, y, p, new double[] {f, cGlc, cGln}, withFeed);
        model.derivatives(100, y, p, new double[] {0, cGlc, cGln}, noFeed);
        double[] cIn = {0, 0, cGlc, cGln, 0, 0, 0};
        double v = y[ChoMabFedBatchModel.V];
        for (int i = 0; i < 7; i++) {
            double amountRateChange = v * (withFeed[i] - noFeed[i]) + y[i] * f;
            assertThat(amountRateChange).as(model.states().get(i).name()).isCloseTo(f * cIn[i], within(1e-9 * (1 + f * cIn[i])));
        }
        assertThat(withFeed[ChoMabFedBatchModel.V]).isEqualTo(f);
    }

    /** Stoichiometry: lactate is made from glucose at Y_lac/glc; total cells grow only by division (no lysis). */
    @Test
    void stoichiometryHolds() {
        double[] y = {5, 1, 12, 2, 30, 4, 900, 1000};
        double[] p = model.nominalParameters();
        double[] u = {0, 300, 40};
        double[] d = new double[8];
        model.derivatives(50, y, p, u, d);
        assertThat(d[ChoMabFedBatchModel.LAC]).isCloseTo(-p[ChoMabFedBatchModel.Y_LAC_GLC] * d[ChoMabFedBatchModel.GLC],
                within(1e-12));
        double[] z = new double[model.observables().size()];
        model.observe(50, y, p, u, z);
        double mu = z[11];
        assertThat(d[ChoMabFedBatchModel.XV] + d[ChoMabFedBatchModel.XD]).isCloseTo(mu * y[ChoMabFedBatchModel.XV],
                within(1e-12));
    }

    @Test
    void observablesAreConvertedToTheirUnits() {
        double[] y = {5, 1, 10, 2, 30, 4, 900, 1000};
        double[] p = model.nominalParameters();
        double[] z = new double[model.observables().size()];
        model.observe(50, y, p, new double[] {0, 300, 40}, z);
        assertThat(z[0]).isEqualTo(5.0); // 5e9 cells/L = 5e6 cells/mL
        assertThat(z[1]).isEqualTo(6.0);
        assertThat(z[2]).isCloseTo(100 * 5.0 / 6.0, within(1e-12));
        assertThat(z[3]).isCloseTo(10 * 180.156 / 1000, within(1e-12)); // 10 mmol/L glucose in g/L
        assertThat(z[5]).isCloseTo(30 * 90.078 / 1000, within(1e-12));
        assertThat(z[7]).isCloseTo(0.9, within(1e-12));
        // OUR: 0.285 pmol/cell/h * 5e9 cells/L = 1.425 mmol/L/h.
        assertThat(z[9]).isCloseTo(1.425, within(1e-12));
        assertThat(z[10]).isCloseTo(1.425, within(1e-12));
    }
}
