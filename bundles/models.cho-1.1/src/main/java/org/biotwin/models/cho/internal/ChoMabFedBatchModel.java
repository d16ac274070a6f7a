package org.biotwin.models.cho.internal;

import java.util.Arrays;
import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.model.ValidityRange;
import org.osgi.service.component.annotations.Component;

/**
 * CHO fed-batch monoclonal antibody model {@code cho.mab.fedbatch} 1.1.0: the structure of version 1.0.0 with the
 * parameter set re-estimated by Moeller J, Kuchemueller KB, Steinmetz T, Koopmann KS, Poertner R (2018) Bioengineering
 * 5(1):25, Table 2, for an antibody-producing CHO line (maximum growth and death rates, K_glc, Y_X/glc, Y_lac/glc and
 * q_mAb changed; the other values are Xing's, as in that table). Version 1.0.0 is the unstructured Monod-type kinetics of
 * Xing, Bishop, Leister and Li (2010), "Modeling kinetics of a large-scale fed-batch CHO cell culture by Markov chain
 * Monte Carlo method", Biotechnol. Prog. 26(1):208-219, doi:10.1002/btpr.284 (5,000-L fed-batch, 18 parameters), with
 * a constant specific productivity, a dead-cell balance, a volume balance with a continuous feed, and oxygen uptake
 * and CO2 evolution as measurement functions. Equations, units and the source of every value are in the bundle's
 * README.
 * <p>
 * States: viable and dead cells (1e9 cells/L, numerically equal to 1e6 cells/mL), glucose, glutamine, lactate,
 * ammonia (mmol/L), antibody (mg/L) and broth volume (L). Time: batch age in h. Per-cell rates are in pmol/cell/h,
 * which times a cell density in 1e9 cells/L gives mmol/L/h directly.
 * <p>
 * Method: closed-form right-hand side (8 states, about 60 flops) and analytic Jacobian. Limits: the published
 * glucose maintenance and ammonia removal terms do not vanish at zero concentration, so the model is valid only
 * while glucose and ammonia stay positive (the validity range says so); the simulator clips non-negative states.
 * <p>
 * Thread-safety: stateless and immutable; safe for concurrent use with different parameter vectors.
 */
@Component(service = KineticModel.class, property = {
        KineticModel.MODEL_ID + "=" + ChoMabFedBatchModel.ID,
        KineticModel.MODEL_VERSION + "=" + ChoMabFedBatchModel.VERSION })
public final class ChoMabFedBatchModel implements KineticModel {

    static final String ID = "cho.mab.fedbatch";
    static final String VERSION = "1.1.0";

    /** Glucose, g/mol. */
    private static final double MW_GLUCOSE = 180.156;
    /** Lactic acid, g/mol (lactate is reported as lactic acid equivalents). */
    private static final double MW_LACTATE = 90.078;

    // State indices.
    static final int XV = 0, XD = 1, GLC = 2, GLN = 3, LAC = 4, AMM = 5, MAB = 6, V = 7;
    // Parameter indices.
    static final int MU_MAX = 0, K_D = 1, K_GLC = 2, K_GLN = 3, KI_LAC = 4, KI_AMM = 5, KD_LAC = 6, KD_AMM = 7,
            Y_X_GLC = 8, Y_X_GLN = 9, Y_LAC_GLC = 10, Y_AMM_GLN = 11, M_GLC = 12, A1 = 13, A2 = 14, D_GLN = 15,
            R_AMM = 16, Q_MAB = 17, Q_O2 = 18, RQ = 19;
    // Input indices.
    static final int F_FEED = 0, C_GLC_FEED = 1, C_GLN_FEED = 2;

    private static final String XING = "Xing et al. 2010, Biotechnol. Prog. 26(1):208-219";
    private static final String MOELLER = "Moeller et al. 2018, Bioengineering 5(1):25, Table 2";

    private static final ModelDescriptor DESCRIPTOR = new ModelDescriptor(ID, VERSION,
            "CHO fed-batch mAb, Xing 2010 kinetics re-estimated by Moeller 2018", "CHO",
            "fed-batch monoclonal antibody production",
            "Moeller J, Kuchemueller KB, Steinmetz T, Koopmann KS, Poertner R (2018) Model-assisted design of "
                    + "experiments ... Bioengineering 5(1):25, doi:10.3390/bioengineering5010025, Table 2 (parameters); "
                    + "model structure of Xing Z, Bishop N, Leister K, Li ZJ (2010) Biotechnol Prog 26(1):208-219, "
                    + "doi:10.1002/btpr.284",
            List.of(new ValidityRange("Xv", "10*9{cells}/L", 0.1, 15),
                    new ValidityRange("GLC", "mmol/L", 0.5, 60),
                    new ValidityRange("GLN", "mmol/L", 0, 10),
                    new ValidityRange("LAC", "mmol/L", 0, 100),
                    new ValidityRange("AMM", "mmol/L", 0.1, 15),
                    new ValidityRange("V", "L", 0.5, 20000),
                    new ValidityRange("F_feed", "L/h", 0, 100)));

    private static final List<StateVariable> STATES = List.of(
            new StateVariable("Xv", "10*9{cells}/L", StateKind.CONCENTRATION, 0.4, 0, 1e-6,
                    "viable cell density (1e9 cells/L = 1e6 cells/mL)"),
            new StateVariable("Xd", "10*9{cells}/L", StateKind.CONCENTRATION, 0.02, 0, 1e-6,
                    "dead cell density, no lysis"),
            new StateVariable("GLC", "mmol/L", StateKind.CONCENTRATION, 35, 0, 1e-5, "glucose"),
            new StateVariable("GLN", "mmol/L", StateKind.CONCENTRATION, 6, 0, 1e-5, "glutamine"),
            new StateVariable("LAC", "mmol/L", StateKind.CONCENTRATION, 2, 0, 1e-5, "lactate"),
            new StateVariable("AMM", "mmol/L", StateKind.CONCENTRATION, 1, 0, 1e-5, "ammonia (NH3 + NH4+)"),
            new StateVariable("MAB", "mg/L", StateKind.CONCENTRATION, 0, 0, 1e-4, "monoclonal antibody"),
            new StateVariable("V", "L", StateKind.VOLUME, 1000, 0, 1e-4, "broth volume"));

    private static final List<ModelParameter> PARAMETERS = List.of(
            new ModelParameter("mu_max", "/h", 0.039, 0.001, 0.1, "maximum specific growth rate; " + MOELLER + " (exp)"),
            new ModelParameter("k_d", "/h", 0.004, 0, 0.1, "maximum specific death rate; " + MOELLER + " (exp)"),
            new ModelParameter("K_glc", "mmol/L", 1.00, 1e-3, 5, "Monod constant of glucose; " + MOELLER
                    + ", from its ref. 50 (differential evolution fit)"),
            new ModelParameter("K_gln", "mmol/L", 0.047, 1e-3, 5,
                    "Monod constant of glutamine; " + XING + "; " + MOELLER),
            new ModelParameter("KI_lac", "mmol/L", 43, 1, 500,
                    "lactate constant of growth inhibition; " + XING + "; " + MOELLER),
            new ModelParameter("KI_amm", "mmol/L", 6.51, 0.1, 100,
                    "ammonia constant of growth inhibition; " + XING + "; " + MOELLER),
            new ModelParameter("KD_lac", "mmol/L", 45.8, 1, 500,
                    "lactate constant of cell death; " + XING + "; " + MOELLER),
            new ModelParameter("KD_amm", "mmol/L", 6.51, 0.1, 100,
                    "ammonia constant of cell death; " + XING + "; " + MOELLER),
            new ModelParameter("Y_X_glc", "10*9{cells}/mmol", 0.357, 0.01, 5,
                    "yield of cells on glucose (0.357e9 cells/mmol); " + MOELLER + " (exp)"),
            new ModelParameter("Y_X_gln", "10*9{cells}/mmol", 0.974, 0.05, 10,
                    "yield of cells on glutamine (9.74e8 cells/mmol); " + XING + "; " + MOELLER),
            new ModelParameter("Y_lac_glc", "mol/mol", 0.70, 0, 2, "yield of lactate on glucose; " + MOELLER + " (exp)"),
            new ModelParameter("Y_amm_gln", "mol/mol", 0.67, 0, 1.5,
                    "yield of ammonia on glutamine; " + XING + "; " + MOELLER),
            new ModelParameter("m_glc", "pmol/{cell}/h", 0.0692, 0, 1,
                    "glucose maintenance coefficient (69.2e-12 mmol/cell/h); " + XING + "; " + MOELLER),
            new ModelParameter("a1", "pmol/{cell}/h", 0.0032, 0, 0.1,
                    "maximum glutamine maintenance (3.2e-12 mmol/cell/h); " + XING + "; " + MOELLER),
            new ModelParameter("a2", "mmol/L", 2.1, 0.01, 50,
                    "glutamine constant of glutamine maintenance; " + XING + "; " + MOELLER),
            new ModelParameter("d_gln", "/h", 7.2e-3, 0, 0.05,
                    "first-order chemical decomposition of glutamine to ammonia; " + XING
                            + " (not listed by Moeller 2018; Xing's value kept)"),
            new ModelParameter("r_amm", "pmol/{cell}/h", 0.0063, 0, 0.1,
                    "specific ammonia removal rate (6.3e-12 mmol/cell/h); " + XING + "; " + MOELLER),
            new ModelParameter("q_mAb", "pg/{cell}/h", 1.51, 0, 20,
                    "specific antibody production rate (1.51e-12 g/cell/h); " + MOELLER + " (exp)"),
            new ModelParameter("q_O2", "pmol/{cell}/h", 0.285, 0.05, 1,
                    "specific oxygen uptake rate of CHO cells, 2.85e-13 mol/cell/h in batch growth; Ducommun et al. "
                            + "2000, J. Biotechnol. 78(2):139-147"),
            new ModelParameter("RQ", "mol/mol", 1.0, 0.7, 1.5,
                    "respiratory quotient CER/OUR; Goudar et al. 2011, Biotechnol. Prog. 27(5):1347-1357 "
                            + "(0.98-1.23, close to unity)"));

    private static final List<ModelInput> INPUTS = List.of(
            new ModelInput("F_feed", "L/h", 0, 0, 1000, "continuous feed rate of feed medium"),
            new ModelInput("c_glc_feed", "mmol/L", 555, 0, 2000,
                    "glucose in the continuous feed (assumed feed medium, see README)"),
            new ModelInput("c_gln_feed", "mmol/L", 80, 0, 300,
                    "glutamine in the continuous feed (assumed feed medium, see README)"));

    private static final List<Observable> OBSERVABLES = List.of(
            new Observable("VCD", "10*6{cells}/mL", "viable cell density"),
            new Observable("TCD", "10*6{cells}/mL", "total cell density (viable + dead)"),
            new Observable("viability", "%", "viable fraction of total cells"),
            new Observable("glucose", "g/L", "glucose"),
            new Observable("glutamine", "mmol/L", "glutamine"),
            new Observable("lactate", "g/L", "lactate as lactic acid"),
            new Observable("ammonia", "mmol/L", "ammonia"),
            new Observable("titre", "g/L", "antibody titre"),
            new Observable("volume", "L", "broth volume"),
            new Observable("OUR", "mmol/L/h", "oxygen uptake rate, q_O2 * Xv"),
            new Observable("CER", "mmol/L/h", "CO2 evolution rate, RQ * OUR"),
            new Observable("mu", "/h", "specific growth rate"));

    @Override
    public ModelDescriptor descriptor() {
        return DESCRIPTOR;
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
        return INPUTS;
    }

    @Override
    public List<Observable> observables() {
        return OBSERVABLES;
    }

    @Override
    public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
        double xv = y[XV], glc = y[GLC], gln = y[GLN], lac = y[LAC], amm = y[AMM];
        double mu = growthRate(y, p);
        double muD = deathRate(y, p);
        double d = u[F_FEED] / y[V];
        double qGlc = mu / p[Y_X_GLC] + p[M_GLC];
        double mGln = p[A1] * gln / (p[A2] + gln);

        yDot[XV] = (mu - muD) * xv - d * xv;
        yDot[XD] = muD * xv - d * y[XD];
        yDot[GLC] = -qGlc * xv + d * (u[C_GLC_FEED] - glc);
        yDot[GLN] = -(mu / p[Y_X_GLN] + mGln) * xv - p[D_GLN] * gln + d * (u[C_GLN_FEED] - gln);
        yDot[LAC] = p[Y_LAC_GLC] * qGlc * xv - d * lac;
        yDot[AMM] = p[Y_AMM_GLN] * mu / p[Y_X_GLN] * xv - p[R_AMM] * xv + p[D_GLN] * gln - d * amm;
        yDot[MAB] = p[Q_MAB] * xv - d * y[MAB];
        yDot[V] = u[F_FEED];
    }

    @Override
    public boolean hasJacobian() {
        return true;
    }

    @Override
    public void jacobian(double t, double[] y, double[] p, double[] u, double[][] dfdy) {
        double xv = y[XV], glc = y[GLC], gln = y[GLN], lac = y[LAC], amm = y[AMM], vol = y[V];
        double f = u[F_FEED];
        double d = f / vol;
        double dDdV = -f / (vol * vol);

        // Growth: mu = mu_max * fG * fQ * fL * fA and its partial derivatives.
        double fG = glc / (p[K_GLC] + glc), fQ = gln / (p[K_GLN] + gln);
        double fL = p[KI_LAC] / (p[KI_LAC] + lac), fA = p[KI_AMM] / (p[KI_AMM] + amm);
        double dfG = p[K_GLC] / sq(p[K_GLC] + glc), dfQ = p[K_GLN] / sq(p[K_GLN] + gln);
        double dfL = -p[KI_LAC] / sq(p[KI_LAC] + lac), dfA = -p[KI_AMM] / sq(p[KI_AMM] + amm);
        double mu = p[MU_MAX] * fG * fQ * fL * fA;
        double muG = p[MU_MAX] * dfG * fQ * fL * fA;
        double muQ = p[MU_MAX] * fG * dfQ * fL * fA;
        double muL = p[MU_MAX] * fG * fQ * dfL * fA;
        double muA = p[MU_MAX] * fG * fQ * fL * dfA;

        // Death: mu_d = k_d * gL * gA.
        double gL = lac / (p[KD_LAC] + lac), gA = amm / (p[KD_AMM] + amm);
        double muD = p[K_D] * gL * gA;
        double muDL = p[K_D] * p[KD_LAC] / sq(p[KD_LAC] + lac) * gA;
        double muDA = p[K_D] * gL * p[KD_AMM] / sq(p[KD_AMM] + amm);

        double mGln = p[A1] * gln / (p[A2] + gln);
        double dmGln = p[A1] * p[A2] / sq(p[A2] + gln);
        double yg = p[Y_X_GLC], yq = p[Y_X_GLN];

        for (double[] row : dfdy) {
            Arrays.fill(row, 0.0);
        }
        // Xv
        dfdy[XV][XV] = mu - muD - d;
        dfdy[XV][GLC] = muG * xv;
        dfdy[XV][GLN] = muQ * xv;
        dfdy[XV][LAC] = (muL - muDL) * xv;
        dfdy[XV][AMM] = (muA - muDA) * xv;
        dfdy[XV][V] = -dDdV * xv;
        // Xd
        dfdy[XD][XV] = muD;
        dfdy[XD][XD] = -d;
        dfdy[XD][LAC] = muDL * xv;
        dfdy[XD][AMM] = muDA * xv;
        dfdy[XD][V] = -dDdV * y[XD];
        // GLC
        dfdy[GLC][XV] = -(mu / yg + p[M_GLC]);
        dfdy[GLC][GLC] = -muG / yg * xv - d;
        dfdy[GLC][GLN] = -muQ / yg * xv;
        dfdy[GLC][LAC] = -muL / yg * xv;
        dfdy[GLC][AMM] = -muA / yg * xv;
        dfdy[GLC][V] = dDdV * (u[C_GLC_FEED] - glc);
        // GLN
        dfdy[GLN][XV] = -(mu / yq + mGln);
        dfdy[GLN][GLC] = -muG / yq * xv;
        dfdy[GLN][GLN] = -(muQ / yq + dmGln) * xv - p[D_GLN] - d;
        dfdy[GLN][LAC] = -muL / yq * xv;
        dfdy[GLN][AMM] = -muA / yq * xv;
        dfdy[GLN][V] = dDdV * (u[C_GLN_FEED] - gln);
        // LAC
        double yl = p[Y_LAC_GLC];
        dfdy[LAC][XV] = yl * (mu / yg + p[M_GLC]);
        dfdy[LAC][GLC] = yl * muG / yg * xv;
        dfdy[LAC][GLN] = yl * muQ / yg * xv;
        dfdy[LAC][LAC] = yl * muL / yg * xv - d;
        dfdy[LAC][AMM] = yl * muA / yg * xv;
        dfdy[LAC][V] = -dDdV * lac;
        // AMM
        double ya = p[Y_AMM_GLN];
        dfdy[AMM][XV] = ya * mu / yq - p[R_AMM];
        dfdy[AMM][GLC] = ya * muG / yq * xv;
        dfdy[AMM][GLN] = ya * muQ / yq * xv + p[D_GLN];
        dfdy[AMM][LAC] = ya * muL / yq * xv;
        dfdy[AMM][AMM] = ya * muA / yq * xv - d;
        dfdy[AMM][V] = -dDdV * amm;
        // MAB
        dfdy[MAB][XV] = p[Q_MAB];
        dfdy[MAB][MAB] = -d;
        dfdy[MAB][V] = -dDdV * y[MAB];
        // V: dV/dt = F does not depend on the state.
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        double total = y[XV] + y[XD];
        double our = p[Q_O2] * y[XV];
        z[0] = y[XV];
        z[1] = total;
        z[2] = total > 0 ? 100.0 * y[XV] / total : 0.0;
        z[3] = y[GLC] * MW_GLUCOSE / 1000.0;
        z[4] = y[GLN];
        z[5] = y[LAC] * MW_LACTATE / 1000.0;
        z[6] = y[AMM];
        z[7] = y[MAB] / 1000.0;
        z[8] = y[V];
        z[9] = our;
        z[10] = p[RQ] * our;
        z[11] = growthRate(y, p);
    }

    /** Specific growth rate, /h: Monod in glucose and glutamine, non-competitive lactate and ammonia inhibition. */
    private static double growthRate(double[] y, double[] p) {
        return p[MU_MAX] * y[GLC] / (p[K_GLC] + y[GLC]) * y[GLN] / (p[K_GLN] + y[GLN])
                * p[KI_LAC] / (p[KI_LAC] + y[LAC]) * p[KI_AMM] / (p[KI_AMM] + y[AMM]);
    }

    /** Specific death rate, /h: saturating in lactate and ammonia. */
    private static double deathRate(double[] y, double[] p) {
        return p[K_D] * y[LAC] / (p[KD_LAC] + y[LAC]) * y[AMM] / (p[KD_AMM] + y[AMM]);
    }

    private static double sq(double x) {
        return x * x;
    }
}
