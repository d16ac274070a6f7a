package org.biotwin.models.monod.internal;

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
 * The classic single-substrate Monod fed-batch model, as a demonstration of a hot-swappable model bundle.
 * <p>
 * Mass balances of an ideally mixed fed-batch reactor fed at rate {@code F} with substrate at {@code S_F}, without
 * maintenance, product formation or death (Dunn, Heinzle, Ingham, Prenosil, <i>Biological Reaction Engineering</i>,
 * 2nd ed., Wiley-VCH 2003, fed-batch balances of chapter 1 and the Monod kinetics of chapter 2; the same model is
 * Bailey &amp; Ollis, <i>Biochemical Engineering Fundamentals</i>, 2nd ed., McGraw-Hill 1986, chapter 9):
 *
 * <pre>
 *   mu    = mu_max * S / (K_S + S)                    specific growth rate, /h
 *   dX/dt = mu * X - (F / V) * X                      biomass, g/L/h
 *   dS/dt = -mu * X / Y_XS + (F / V) * (S_F - S)      substrate, g/L/h
 *   dV/dt = F                                         volume, L/h
 * </pre>
 *
 * Consequence used by the tests: the amounts obey {@code X V - X0 V0 = Y_XS (S0 V0 + S_F * fed volume - S V)}.
 * <p>
 * The nominal parameters are illustrative values of the order reported for aerobic bacteria on glucose; they are not
 * a fit to plant data and the model is a demonstration, not a validated model of a product.
 * <p>
 * Cost: a handful of flops per right-hand side; the analytic Jacobian {@code df/dy} is exact. Stateless and
 * thread-safe.
 */
@Component(service = KineticModel.class, property = {
        KineticModel.MODEL_ID + "=" + MonodFedBatchModel.ID,
        KineticModel.MODEL_VERSION + "=" + MonodFedBatchModel.VERSION })
public final class MonodFedBatchModel implements KineticModel {

    /** Model id; also the service property {@link KineticModel#MODEL_ID}. */
    public static final String ID = "monod.fedbatch";
    /** Model version; also the service property {@link KineticModel#MODEL_VERSION} and the Bundle-Version. */
    public static final String VERSION = "1.0.0";

    /** State indices. */
    static final int X = 0, S = 1, V = 2;
    /** Parameter indices. */
    static final int MU_MAX = 0, K_S = 1, Y_XS = 2, S_F = 3;
    /** Input index. */
    static final int F_FEED = 0;
    /** Observable indices. */
    static final int OBS_X = 0, OBS_S = 1, OBS_V = 2, OBS_MU = 3;

    private static final String SOURCE = "Dunn IJ, Heinzle E, Ingham J, Prenosil JE. Biological Reaction Engineering:"
            + " Dynamic Modelling Fundamentals with Simulation Examples, 2nd ed. Wiley-VCH, Weinheim 2003"
            + " (ISBN 978-3-527-30759-4): fed-batch mass balances with Monod kinetics."
            + " Also Bailey JE, Ollis DF. Biochemical Engineering Fundamentals, 2nd ed. McGraw-Hill 1986.";

    private static final ModelDescriptor DESCRIPTOR = new ModelDescriptor(ID, VERSION,
            "Monod single-substrate fed-batch", "generic aerobic microorganism",
            "fed-batch on one limiting substrate (demonstration)", SOURCE,
            List.of(new ValidityRange("X", "g/L", 0, 60), new ValidityRange("S", "g/L", 0, 500),
                    new ValidityRange("V", "L", 0.1, 20), new ValidityRange("F_feed", "L/h", 0, 0.5)));

    private static final List<StateVariable> STATES = List.of(
            new StateVariable("X", "g/L", StateKind.CONCENTRATION, 0.1, 0, 1e-6, "biomass concentration (dry weight)"),
            new StateVariable("S", "g/L", StateKind.CONCENTRATION, 10, 0, 1e-6, "limiting substrate concentration"),
            new StateVariable("V", "L", StateKind.VOLUME, 1.0, 0, 1e-6, "broth volume"));

    private static final List<ModelParameter> PARAMETERS = List.of(
            new ModelParameter("mu_max", "/h", 0.5, 0.01, 2.0,
                    "maximum specific growth rate; illustrative value for aerobic bacteria on glucose"),
            new ModelParameter("K_S", "g/L", 0.1, 1e-4, 10,
                    "Monod half-saturation constant; illustrative value for glucose"),
            new ModelParameter("Y_XS", "g/g", 0.5, 0.05, 1.0,
                    "biomass yield on substrate (g dry biomass per g substrate); illustrative aerobic value"),
            new ModelParameter("S_F", "g/L", 200, 0, 800, "substrate concentration in the feed"));

    private static final List<ModelInput> INPUTS = List.of(
            new ModelInput("F_feed", "L/h", 0, 0, 0.5, "substrate feed rate (0: batch phase)"));

    private static final List<Observable> OBSERVABLES = List.of(
            new Observable("X", "g/L", "biomass concentration, as an offline dry-weight assay reads it"),
            new Observable("S", "g/L", "substrate concentration, as an offline or at-line analyser reads it"),
            new Observable("V", "L", "broth volume, as a load cell reads it"),
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
        check(y, p, u, yDot.length, 3, "yDot");
        double x = y[X], s = y[S], v = y[V], f = u[F_FEED];
        double mu = p[MU_MAX] * s / (p[K_S] + s);
        double dilution = f / v;
        yDot[X] = mu * x - dilution * x;
        yDot[S] = -mu * x / p[Y_XS] + dilution * (p[S_F] - s);
        yDot[V] = f;
    }

    @Override
    public boolean hasJacobian() {
        return true;
    }

    @Override
    public void jacobian(double t, double[] y, double[] p, double[] u, double[][] dfdy) {
        check(y, p, u, dfdy.length, 3, "dfdy");
        double x = y[X], s = y[S], v = y[V], f = u[F_FEED];
        double ks = p[K_S], yxs = p[Y_XS];
        double mu = p[MU_MAX] * s / (ks + s);
        double dMuDs = p[MU_MAX] * ks / ((ks + s) * (ks + s));
        double dilution = f / v;
        double dDilutionDv = -f / (v * v);

        dfdy[X][X] = mu - dilution;
        dfdy[X][S] = x * dMuDs;
        dfdy[X][V] = -dDilutionDv * x;

        dfdy[S][X] = -mu / yxs;
        dfdy[S][S] = -x * dMuDs / yxs - dilution;
        dfdy[S][V] = dDilutionDv * (p[S_F] - s);

        dfdy[V][X] = 0;
        dfdy[V][S] = 0;
        dfdy[V][V] = 0;
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        check(y, p, u, z.length, 4, "z");
        double s = y[S];
        z[OBS_X] = y[X];
        z[OBS_S] = s;
        z[OBS_V] = y[V];
        z[OBS_MU] = p[MU_MAX] * s / (p[K_S] + s);
    }

    /** Cheap guards: a wrong-sized array or a non-positive volume is a caller bug that must not give NaN silently. */
    private static void check(double[] y, double[] p, double[] u, int outLength, int expectedOut, String out) {
        if (y.length != 3 || p.length != 4 || u.length != 1 || outLength != expectedOut) {
            throw new IllegalArgumentException(ID + ":" + VERSION + ": expected 3 states, 4 parameters, 1 input and "
                    + out + " of length " + expectedOut + ", got " + y.length + ", " + p.length + ", " + u.length
                    + " and " + outLength);
        }
        if (!(y[V] > 0)) {
            throw new IllegalArgumentException(ID + ":" + VERSION + ": volume V must be > 0 L, was " + y[V]);
        }
    }
}
