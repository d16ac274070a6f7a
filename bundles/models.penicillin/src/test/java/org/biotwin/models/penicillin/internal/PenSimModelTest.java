package org.biotwin.models.penicillin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.KineticModelContract;
import org.junit.jupiter.api.Test;

/** Contract, balance and literature-value checks of {@code penicillin.pensim} 1.0.0. */
class PenSimModelTest extends KineticModelContract {

    private final PenSimModel model = new PenSimModel();

    @Override
    protected KineticModel model() {
        return model;
    }

    @Override
    protected List<double[]> inputCases() {
        return List.of(new double[] {0.045, 600, 298, 5.0, 8, 30}, new double[] {0.4, 700, 303, 6.5, 20, 60},
                new double[] {0.01, 500, 293, 4.5, 2, 10});
    }

    @Test
    void identityMatchesTheBundle() {
        assertThat(model.descriptor().id()).isEqualTo("penicillin.pensim");
        assertThat(model.descriptor().version()).isEqualTo("1.0.0");
        assertThat(model.states().stream().map(s -> s.name()).toList()).containsExactly("X", "S", "DO", "P", "V");
    }

    /** Published values (Birol et al. 2002, Table 1; the Bajpai and Reuss 1980 subset). */
    @Test
    void nominalParametersAreThePublishedValues() {
        double[] p = model.nominalParameters();
        assertThat(p[PenSimModel.MU_X]).isEqualTo(0.092);
        assertThat(p[PenSimModel.K_X]).isEqualTo(0.15);
        assertThat(p[PenSimModel.MU_P]).isEqualTo(0.005);
        assertThat(p[PenSimModel.K_P]).isEqualTo(0.0002);
        assertThat(p[PenSimModel.K_I]).isEqualTo(0.10);
        assertThat(p[PenSimModel.K_HYD]).isEqualTo(0.04);
        assertThat(p[PenSimModel.Y_XS]).isEqualTo(0.45);
        assertThat(p[PenSimModel.Y_PS]).isEqualTo(0.90);
        assertThat(p[PenSimModel.M_X]).isEqualTo(0.014);
        assertThat(model.inputs().get(PenSimModel.S_F).defaultValue()).isEqualTo(600.0);
    }

    /**
     * Feed and evaporation balance: for every concentration C, d(C V)/dt = V r(y) + F c_in. Evaporation removes water
     * only, so it changes no amount; the glucose feed adds F s_f.
     */
    @Test
    void feedAddsExactlyItsContentAndEvaporationOnlyRemovesWater() {
        double[] y = {8, 0.2, 1.0, 0.6, 97};
        double[] p = model.nominalParameters();
        double[] fed = {0.3, 600, 300, 5.0, 8, 30};
        double[] unfed = fed.clone();
        unfed[PenSimModel.F_S] = 0;
        double[] dFed = new double[5];
        double[] dUnfed = new double[5];
        model.derivatives(100, y, p, fed, dFed);
        model.derivatives(100, y, p, unfed, dUnfed);
        double v = y[PenSimModel.V];
        double[] cIn = {0, 600, 0, 0};
        for (int i = 0; i < 4; i++) {
            double change = v * dFed[i] + y[i] * dFed[PenSimModel.V] - (v * dUnfed[i] + y[i] * dUnfed[PenSimModel.V]);
            assertThat(change).as(model.states().get(i).name()).isCloseTo(0.3 * cIn[i], within(1e-9 * (1 + cIn[i])));
        }
        // With no biomass and no feed, amounts are constant: d(C V)/dt = 0 although V shrinks by evaporation.
        double[] sterile = {0, 5, 1.0, 0, 97};
        double[] d = new double[5];
        p[PenSimModel.K_HYD] = 0;
        model.derivatives(0, sterile, p, unfed, d);
        assertThat(d[PenSimModel.V]).isNegative();
        for (int i = 0; i < 4; i++) {
            double amountRate = v * d[i] + sterile[i] * d[PenSimModel.V];
            if (i == PenSimModel.CL) {
                continue; // oxygen is transferred from the gas phase
            }
            assertThat(amountRate).as(model.states().get(i).name()).isCloseTo(0.0, within(1e-12));
        }
    }

    /** Arrhenius and pH factors at the PenSim defaults, computed by hand from the Table 1 constants. */
    @Test
    void growthRateAtDefaultsMatchesAHandCalculation() {
        double[] p = model.nominalParameters();
        double[] u = {0, 600, 298, 5.0, 8, 30};
        double[] y = {1, 1e9, 1e9, 0, 100}; // saturating glucose and oxygen: mu -> its maximum at T, pH
        double[] z = new double[model.observables().size()];
        model.observe(0, y, p, u, z);
        double arrhenius = 7e3 * Math.exp(-5100 / (1.987 * 298)) - 1e33 * Math.exp(-50000 / (1.987 * 298));
        double ph = 1 + 1e-10 / 1e-5 + 1e-5 / 7e-5;
        assertThat(z[7]).isCloseTo(0.092 * arrhenius / ph, within(1e-9));
        assertThat(arrhenius).isCloseTo(1.2725, within(1e-3));
    }

    @Test
    void contoisTermsAreZeroWithoutBiomassAndSubstrate() {
        double[] p = model.nominalParameters();
        double[] y = {0, 0, 0, 0, 100};
        double[] d = new double[5];
        model.derivatives(0, y, p, new double[] {0, 600, 298, 5.0, 8, 30}, d);
        for (double v : d) {
            assertThat(v).isFinite();
        }
        double[][] jac = new double[5][5];
        model.jacobian(0, y, p, new double[] {0, 600, 298, 5.0, 8, 30}, jac);
        for (double[] row : jac) {
            for (double v : row) {
                assertThat(v).isFinite();
            }
        }
    }
}
