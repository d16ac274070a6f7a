package org.biotwin.models.penicillin.internal;

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
 * Industrial penicillin G fed-batch model {@code penicillin.pensim} 1.0.0: the kinetic core of PenSim, Birol G,
 * Undey C, Cinar A (2002) "A modular simulation package for fed-batch fermentation: penicillin production", Comput.
 * Chem. Eng. 26(11):1553-1565, which extends Bajpai and Reuss (1980) J. Chem. Technol. Biotechnol. 30:332-344 with
 * dissolved oxygen, pH, temperature and evaporation. Here temperature and pH are manipulated inputs (their control
 * loops, the heat balance and the acid/base flows of PenSim are left out). Equations, units and sources: README.
 * <p>
 * States: biomass X, glucose S, dissolved oxygen C_L (DO), penicillin P (g/L) and broth volume V (L). Growth is of
 * Contois type in S and in C_L, scaled by a pH factor and a two-term Arrhenius factor; production is substrate
 * inhibited (Haldane); penicillin hydrolyses at first order; water evaporates at a temperature-dependent rate.
 * <p>
 * Method: closed-form right-hand side (5 states) and analytic Jacobian. Stiffness: oxygen transfer (kLa around
 * 120 /h at the PenSim defaults) is two to three orders faster than growth, so a stiff integrator pays off.
 * Limits: the Contois terms are 0/0 at X = 0 with S = 0 (or C_L = 0); they are defined as 0 there.
 * <p>
 * Thread-safety: stateless and immutable; safe for concurrent use with different parameter vectors.
 */
@Component(service = KineticModel.class, property = {
        KineticModel.MODEL_ID + "=" + PenSimModel.ID,
        KineticModel.MODEL_VERSION + "=" + PenSimModel.VERSION })
public final class PenSimModel implements KineticModel {

    static final String ID = "penicillin.pensim";
    static final String VERSION = "1.0.0";

    /** Gas constant, cal/(mol K), as used by PenSim with activation energies in cal/mol. */
    static final double R_GAS = 1.987;
    /** Freezing and boiling temperature of the broth, K (PenSim evaporation law). */
    static final double T_FREEZE = 273.15, T_BOIL = 373.15;

    static final int X = 0, S = 1, CL = 2, P = 3, V = 4;
    static final int MU_X = 0, K_X = 1, K_OX = 2, MU_P = 3, K_P = 4, K_I = 5, K_OP = 6, P_O2 = 7, K_HYD = 8,
            Y_XS = 9, Y_XO = 10, Y_PS = 11, Y_PO = 12, M_X = 13, M_O = 14, C_L_SAT = 15, ALPHA_KLA = 16,
            BETA_KLA = 17, LAMBDA_EVAP = 18, K_G = 19, E_G = 20, K_D = 21, E_D = 22, K_1 = 23, K_2 = 24,
            ALPHA1_CO2 = 25, ALPHA2_CO2 = 26, ALPHA3_CO2 = 27;
    static final int F_S = 0, S_F = 1, TEMP = 2, PH = 3, F_G = 4, P_W = 5;

    private static final String BIROL = "Birol et al. 2002, Comput. Chem. Eng. 26:1553-1565, Table 1";
    private static final String BAJPAI = "Bajpai & Reuss 1980, J. Chem. Technol. Biotechnol. 30:332-344";

    private static final ModelDescriptor DESCRIPTOR = new ModelDescriptor(ID, VERSION,
            "Industrial penicillin fed-batch (PenSim kinetics, isothermal, pH-controlled)", "Penicillium chrysogenum",
            "fed-batch penicillin G production",
            "Birol G, Undey C, Cinar A (2002) A modular simulation package for fed-batch fermentation: penicillin "
                    + "production. Comput Chem Eng 26(11):1553-1565, doi:10.1016/S0098-1354(02)00127-8; after Bajpai RK, "
                    + "Reuss M (1980) A mechanistic model for penicillin production. J Chem Technol Biotechnol 30:332-344",
            List.of(new ValidityRange("X", "g/L", 0.05, 20),
                    new ValidityRange("S", "g/L", 0, 20),
                    new ValidityRange("DO", "g/L", 0.1, 1.2),
                    new ValidityRange("P", "g/L", 0, 2.5),
                    new ValidityRange("V", "L", 80, 120),
                    new ValidityRange("F_s", "L/h", 0, 0.5),
                    new ValidityRange("T", "K", 293, 303),
                    new ValidityRange("pH", "[pH]", 4.5, 6.5)));

    private static final List<StateVariable> STATES = List.of(
            new StateVariable("X", "g/L", StateKind.CONCENTRATION, 0.1, 0, 1e-6, "biomass (dry weight)"),
            new StateVariable("S", "g/L", StateKind.CONCENTRATION, 15, 0, 1e-6, "glucose"),
            new StateVariable("DO", "g/L", StateKind.CONCENTRATION, 1.16, 0, 1e-7,
                    "dissolved oxygen C_L, in PenSim's unit (see README)"),
            new StateVariable("P", "g/L", StateKind.CONCENTRATION, 0, 0, 1e-7, "penicillin G"),
            new StateVariable("V", "L", StateKind.VOLUME, 100, 0, 1e-6, "broth volume"));

    private static final List<ModelParameter> PARAMETERS = List.of(
            new ModelParameter("mu_x", "/h", 0.092, 0.01, 0.5, "maximum specific growth rate; " + BIROL + "; " + BAJPAI),
            new ModelParameter("K_x", "g/g", 0.15, 0.01, 2, "Contois constant of glucose; " + BIROL + "; " + BAJPAI),
            new ModelParameter("K_ox", "1", 2e-2, 1e-4, 1, "Contois constant of oxygen for growth; " + BIROL),
            new ModelParameter("mu_p", "/h", 0.005, 1e-4, 0.05,
                    "maximum specific penicillin production rate; " + BIROL + "; " + BAJPAI),
            new ModelParameter("K_p", "g/L", 2e-4, 1e-6, 0.01, "glucose constant of production; " + BIROL + "; " + BAJPAI),
            new ModelParameter("K_I", "g/L", 0.10, 0.001, 10,
                    "glucose inhibition constant of production; " + BIROL + "; " + BAJPAI),
            new ModelParameter("K_op", "1", 5e-4, 1e-6, 0.1, "oxygen constant of production; " + BIROL),
            new ModelParameter("p_O2", "1", 3, 1, 5, "exponent of oxygen dependence of production; " + BIROL),
            new ModelParameter("K_hyd", "/h", 0.04, 0, 0.2, "penicillin hydrolysis rate constant; " + BIROL + "; " + BAJPAI),
            new ModelParameter("Y_xs", "g/g", 0.45, 0.05, 1, "biomass yield on glucose; " + BIROL + "; " + BAJPAI),
            new ModelParameter("Y_xo", "g/g", 0.04, 0.001, 2, "biomass yield on oxygen; " + BIROL),
            new ModelParameter("Y_ps", "g/g", 0.90, 0.05, 2, "penicillin yield on glucose; " + BIROL + "; " + BAJPAI),
            new ModelParameter("Y_po", "g/g", 0.20, 0.01, 2, "penicillin yield on oxygen; " + BIROL),
            new ModelParameter("m_x", "/h", 0.014, 0, 0.1,
                    "maintenance coefficient on glucose, g/(g h); " + BIROL + "; " + BAJPAI),
            new ModelParameter("m_o", "/h", 0.467, 0, 2, "maintenance coefficient on oxygen, g/(g h); " + BIROL),
            new ModelParameter("C_L_sat", "g/L", 1.16, 0.5, 2, "oxygen saturation concentration C_L*; " + BIROL),
            new ModelParameter("alpha_kla", "1", 70, 1, 500,
                    "kLa = alpha sqrt(f_g) (P_w/V)^beta, constant alpha; " + BIROL),
            new ModelParameter("beta_kla", "1", 0.4, 0.1, 1, "kLa exponent beta; " + BIROL),
            new ModelParameter("lambda_evap", "/h", 2.5e-4, 0, 1e-2, "evaporation constant lambda; " + BIROL),
            new ModelParameter("k_g", "1", 7e3, 1, 1e6, "Arrhenius constant of growth; " + BIROL),
            new ModelParameter("E_g", "cal/mol", 5100, 1000, 20000, "activation energy of growth; " + BIROL),
            new ModelParameter("k_d", "1", 1e33, 1e20, 1e40, "Arrhenius constant of cell death; " + BIROL),
            new ModelParameter("E_d", "cal/mol", 50000, 20000, 80000, "activation energy of cell death; " + BIROL),
            new ModelParameter("K_1", "mol/L", 1e-10, 1e-14, 1e-6, "pH constant K1 of growth; " + BIROL),
            new ModelParameter("K_2", "mol/L", 7e-5, 1e-7, 1e-2, "pH constant K2 of growth; " + BIROL),
            new ModelParameter("alpha1_co2", "mmol/g", 0.143, 0, 10, "CO2 from growth; " + BIROL),
            new ModelParameter("alpha2_co2", "mmol/g/h", 4e-7, 0, 1e-3, "CO2 from maintenance; " + BIROL),
            new ModelParameter("alpha3_co2", "mmol/L/h", 1e-4, 0, 1e-2, "constant CO2 production; " + BIROL));

    private static final List<ModelInput> INPUTS = List.of(
            new ModelInput("F_s", "L/h", 0, 0, 1, "glucose feed rate"),
            new ModelInput("s_f", "g/L", 600, 0, 1000, "glucose in the feed; PenSim s_f = 600 g/L"),
            new ModelInput("T", "K", 298, 288, 308, "broth temperature (controlled)"),
            new ModelInput("pH", "[pH]", 5.0, 4, 7, "broth pH (controlled)"),
            new ModelInput("f_g", "L/h", 8, 0.1, 50, "aeration rate; PenSim default 8 L/h"),
            new ModelInput("P_w", "W", 30, 1, 200, "agitation power; PenSim default 30 W"));

    private static final List<Observable> OBSERVABLES = List.of(
            new Observable("biomass", "g/L", "biomass concentration"),
            new Observable("glucose", "g/L", "glucose concentration"),
            new Observable("DO_sat", "%", "dissolved oxygen as % of saturation, 100 C_L / C_L*"),
            new Observable("penicillin", "g/L", "penicillin G titre"),
            new Observable("volume", "L", "broth volume"),
            new Observable("OUR", "g/L/h",
                    "oxygen uptake rate of the model's oxygen balance, in PenSim's DO unit per h (see README)"),
            new Observable("CER", "mmol/L/h", "CO2 evolution rate, alpha1 mu X + alpha2 X + alpha3 (PenSim)"),
            new Observable("mu", "/h", "specific growth rate"),
            new Observable("mu_pp", "/h", "specific penicillin production rate"));

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
        double x = y[X], s = y[S], cl = y[CL], pen = y[P], vol = y[V];
        double mu = growthFactor(p, u) * ratio(s, p[K_X] * x) * ratio(cl, p[K_OX] * x);
        double mupp = productionRate(y, p);
        double kla = kla(p, u, vol);
        double dil = u[F_S] / vol - evaporationRate(p, u);
        yDot[X] = mu * x - x * dil;
        yDot[S] = -(mu / p[Y_XS] + mupp / p[Y_PS] + p[M_X]) * x + u[F_S] * u[S_F] / vol - s * dil;
        yDot[CL] = -(mu / p[Y_XO] + mupp / p[Y_PO] + p[M_O]) * x + kla * (p[C_L_SAT] - cl) - cl * dil;
        yDot[P] = mupp * x - p[K_HYD] * pen - pen * dil;
        yDot[V] = u[F_S] - evaporationRate(p, u) * vol;
    }

    @Override
    public boolean hasJacobian() {
        return true;
    }

    @Override
    public void jacobian(double t, double[] y, double[] p, double[] u, double[][] dfdy) {
        double x = y[X], s = y[S], cl = y[CL], pen = y[P], vol = y[V];
        double f = u[F_S];
        double evap = evaporationRate(p, u);
        double dil = f / vol - evap;
        double dDilDv = -f / (vol * vol);

        // mu = A * g1(S, X) * g2(C_L, X), Contois in glucose and in oxygen.
        double a = growthFactor(p, u);
        double kx = p[K_X], kox = p[K_OX];
        double den1 = kx * x + s, den2 = kox * x + cl;
        double g1 = den1 > 0 ? s / den1 : 0, g2 = den2 > 0 ? cl / den2 : 0;
        double g1s = den1 > 0 ? kx * x / (den1 * den1) : 0, g1x = den1 > 0 ? -s * kx / (den1 * den1) : 0;
        double g2c = den2 > 0 ? kox * x / (den2 * den2) : 0, g2x = den2 > 0 ? -cl * kox / (den2 * den2) : 0;
        double mu = a * g1 * g2;
        double muS = a * g1s * g2, muC = a * g1 * g2c, muX = a * (g1x * g2 + g1 * g2x);

        // mu_pp = mu_p * h1(S) * h2(C_L, X), Haldane in glucose, Contois-like in C_L^p.
        double hden = p[K_P] + s + s * s / p[K_I];
        double h1 = s / hden, h1s = (p[K_P] - s * s / p[K_I]) / (hden * hden);
        double clPos = Math.max(cl, 0);
        double pe = p[P_O2];
        double clp = Math.pow(clPos, pe);
        double kop = p[K_OP];
        double den3 = kop * x + clp;
        double h2 = den3 > 0 ? clp / den3 : 0;
        double h2c = den3 > 0 && clPos > 0 ? pe * Math.pow(clPos, pe - 1) * kop * x / (den3 * den3) : 0;
        double h2x = den3 > 0 ? -clp * kop / (den3 * den3) : 0;
        double mupp = p[MU_P] * h1 * h2;
        double muppS = p[MU_P] * h1s * h2, muppC = p[MU_P] * h1 * h2c, muppX = p[MU_P] * h1 * h2x;

        double kla = kla(p, u, vol);
        double dKlaDv = -p[BETA_KLA] * kla / vol;

        for (double[] row : dfdy) {
            Arrays.fill(row, 0.0);
        }
        // X
        dfdy[X][X] = mu + x * muX - dil;
        dfdy[X][S] = x * muS;
        dfdy[X][CL] = x * muC;
        dfdy[X][V] = -x * dDilDv;
        // S
        double yxs = p[Y_XS], yps = p[Y_PS];
        dfdy[S][X] = -(mu / yxs + mupp / yps + p[M_X]) - x * (muX / yxs + muppX / yps);
        dfdy[S][S] = -x * (muS / yxs + muppS / yps) - dil;
        dfdy[S][CL] = -x * (muC / yxs + muppC / yps);
        dfdy[S][V] = -f * u[S_F] / (vol * vol) - s * dDilDv;
        // DO
        double yxo = p[Y_XO], ypo = p[Y_PO];
        dfdy[CL][X] = -(mu / yxo + mupp / ypo + p[M_O]) - x * (muX / yxo + muppX / ypo);
        dfdy[CL][S] = -x * (muS / yxo + muppS / ypo);
        dfdy[CL][CL] = -x * (muC / yxo + muppC / ypo) - kla - dil;
        dfdy[CL][V] = dKlaDv * (p[C_L_SAT] - cl) - cl * dDilDv;
        // P
        dfdy[P][X] = mupp + x * muppX;
        dfdy[P][S] = x * muppS;
        dfdy[P][CL] = x * muppC;
        dfdy[P][P] = -p[K_HYD] - dil;
        dfdy[P][V] = -pen * dDilDv;
        // V
        dfdy[V][V] = -evap;
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        double x = y[X];
        double mu = growthFactor(p, u) * ratio(y[S], p[K_X] * x) * ratio(y[CL], p[K_OX] * x);
        double mupp = productionRate(y, p);
        z[0] = x;
        z[1] = y[S];
        z[2] = 100.0 * y[CL] / p[C_L_SAT];
        z[3] = y[P];
        z[4] = y[V];
        z[5] = (mu / p[Y_XO] + mupp / p[Y_PO] + p[M_O]) * x;
        z[6] = p[ALPHA1_CO2] * mu * x + p[ALPHA2_CO2] * x + p[ALPHA3_CO2];
        z[7] = mu;
        z[8] = mupp;
    }

    /** mu_x scaled by the pH factor and the growth-minus-death Arrhenius factor, /h. */
    private static double growthFactor(double[] p, double[] u) {
        double h = Math.pow(10.0, -u[PH]);
        double rt = R_GAS * u[TEMP];
        double arrhenius = p[K_G] * Math.exp(-p[E_G] / rt) - p[K_D] * Math.exp(-p[E_D] / rt);
        return p[MU_X] / (1.0 + p[K_1] / h + h / p[K_2]) * arrhenius;
    }

    /** Specific penicillin production rate, /h. */
    private static double productionRate(double[] y, double[] p) {
        double s = y[S];
        double clp = Math.pow(Math.max(y[CL], 0), p[P_O2]);
        return p[MU_P] * s / (p[K_P] + s + s * s / p[K_I]) * ratio(clp, p[K_OP] * y[X]);
    }

    /** Volumetric oxygen transfer coefficient, /h. */
    private static double kla(double[] p, double[] u, double vol) {
        return p[ALPHA_KLA] * Math.sqrt(u[F_G]) * Math.pow(u[P_W] / vol, p[BETA_KLA]);
    }

    /** Specific evaporation rate F_loss / V, /h. */
    private static double evaporationRate(double[] p, double[] u) {
        return p[LAMBDA_EVAP] * (Math.exp(5.0 * (u[TEMP] - T_FREEZE) / (T_BOIL - T_FREEZE)) - 1.0);
    }

    /** {@code c / (k + c)}, defined as 0 when both are 0 (no biomass and no substrate). */
    private static double ratio(double c, double k) {
        double den = k + c;
        return den > 0 ? c / den : 0.0;
    }
}
