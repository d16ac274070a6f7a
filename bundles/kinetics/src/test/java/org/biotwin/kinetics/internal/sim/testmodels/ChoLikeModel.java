package org.biotwin.kinetics.internal.sim.testmodels;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * An 8-state CHO-like fed-batch <b>test</b> model, not a validated model: Monod growth on glucose and glutamine with
 * lactate and ammonia inhibition, ammonia-dependent death, lysis, maintenance, glutamine decomposition and antibody
 * production, after the structure of Xing et al., Biotechnol. Bioeng. 107:725 (2010) and Kontoravdi et al.,
 * Biotechnol. Prog. 21:1128 (2005), with round parameter values. Same equations and values as
 * {@code reference/cho_like.py}. Used for accuracy tests and benchmarks. Stateless; the right-hand side allocates
 * nothing.
 * <p>
 * Units: Xv, Xd 1e9 cells/L; Glc, Gln, Lac, Amm mmol/L; mAb mg/L; V L; t h; F L/h.
 */
public final class ChoLikeModel implements KineticModel {

    private static final List<StateVariable> STATES = List.of(
            new StateVariable("Xv", "10*9/L", StateKind.CONCENTRATION, 0.3, 0, 1e-6, "viable cells"),
            new StateVariable("Xd", "10*9/L", StateKind.CONCENTRATION, 0.0, 0, 1e-6, "dead cells"),
            new StateVariable("Glc", "mmol/L", StateKind.CONCENTRATION, 35, 0, 1e-6, "glucose"),
            new StateVariable("Gln", "mmol/L", StateKind.CONCENTRATION, 6, 0, 1e-6, "glutamine"),
            new StateVariable("Lac", "mmol/L", StateKind.CONCENTRATION, 0, 0, 1e-6, "lactate"),
            new StateVariable("Amm", "mmol/L", StateKind.CONCENTRATION, 0.3, 0, 1e-6, "ammonia"),
            new StateVariable("mAb", "mg/L", StateKind.CONCENTRATION, 0, 0, 1e-4, "antibody titre"),
            new StateVariable("V", "L", StateKind.VOLUME, 1.0, 0, 1e-8, "broth volume"));

    private static final List<ModelParameter> PARAMETERS = List.of(
            p("mu_max", "/h", 0.045), p("K_glc", "mmol/L", 0.75), p("K_gln", "mmol/L", 0.3),
            p("K_Ilac", "mmol/L", 60), p("K_Iamm", "mmol/L", 8), p("kd0", "/h", 0.001), p("kd_amm", "/h", 0.02),
            p("K_damm", "mmol/L", 15), p("k_lys", "/h", 0.01), p("Y_xglc", "10*9/mmol", 1.6),
            p("m_glc", "mmol/10*9/h", 0.01), p("K_mglc", "mmol/L", 1), p("Y_xgln", "10*9/mmol", 4.5),
            p("m_gln", "mmol/10*9/h", 0.002), p("K_mgln", "mmol/L", 0.3), p("k_dgln", "/h", 0.0025),
            p("Y_lacglc", "mol/mol", 1.2), p("Y_ammgln", "mol/mol", 0.7), p("q_mab", "mg/10*9/h", 0.9),
            p("Glc_f", "mmol/L", 400), p("Gln_f", "mmol/L", 40));

    private static ModelParameter p(String name, String unit, double nominal) {
        return new ModelParameter(name, unit, nominal, 0, nominal * 10, "test value (round number)");
    }

    @Override
    public ModelDescriptor descriptor() {
        return new ModelDescriptor("test.cho-like", "1.0.0", "CHO-like fed-batch test model", "CHO",
                "fed-batch mAb production (test)", "none: test model after Xing et al. 2010 structure", List.of());
    }

    @Override
    public List<StateVariable> states() {
        return STATES;
    }

    @Override
    public List<ModelParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<ModelInput> inputs() {
        return List.of(new ModelInput("F", "L/h", 0, 0, 0.1, "continuous feed rate"));
    }

    @Override
    public List<Observable> observables() {
        return List.of(new Observable("VCD", "10*9/L", "viable cell density"),
                new Observable("viability", "%", "viable fraction"),
                new Observable("titre", "g/L", "antibody titre"));
    }

    @Override
    public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
        double xv = y[0];
        double xd = y[1];
        double glc = y[2];
        double gln = y[3];
        double lac = y[4];
        double amm = y[5];
        double mab = y[6];
        double v = y[7];
        double mu = p[0] * glc / (p[1] + glc) * gln / (p[2] + gln) * p[3] / (p[3] + lac) * p[4] / (p[4] + amm);
        double muD = p[5] + p[6] * amm / (p[7] + amm);
        double d = u[0] / v;
        double qGlc = mu / p[9] + p[10] * glc / (p[11] + glc);
        double qGln = mu / p[12] + p[13] * gln / (p[14] + gln);
        yDot[0] = (mu - muD - d) * xv;
        yDot[1] = muD * xv - (p[8] + d) * xd;
        yDot[2] = -qGlc * xv + d * (p[19] - glc);
        yDot[3] = -qGln * xv - p[15] * gln + d * (p[20] - gln);
        yDot[4] = p[16] * qGlc * xv - d * lac;
        yDot[5] = p[17] * qGln * xv + p[15] * gln - d * amm;
        yDot[6] = p[18] * xv - d * mab;
        yDot[7] = u[0];
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        z[0] = y[0];
        z[1] = y[0] + y[1] > 0 ? 100 * y[0] / (y[0] + y[1]) : 100;
        z[2] = y[6] / 1000;
    }
}
