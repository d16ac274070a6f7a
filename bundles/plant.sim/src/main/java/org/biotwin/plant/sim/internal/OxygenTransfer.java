package org.biotwin.plant.sim.internal;

/**
 * Oxygen supply of the virtual bioreactor, for models that have no oxygen balance of their own.
 * <p>
 * <b>Method.</b> Gas-liquid transfer {@code OTR = kLa (C* - C)} with {@code kLa = kLa_ref (Q/Q_ref)^a} (the usual
 * power law in superficial gas velocity; van't Riet 1979, Ind. Eng. Chem. Process Des. Dev. 18:357, gives exponents
 * 0.2-0.7 depending on the regime). Uptake is the model's oxygen demand {@code OUR_d} above a critical DO and falls in
 * proportion to DO below it, {@code OUR = OUR_d min(1, C/C_crit)}; the same factor scales the model's growth (see the
 * README). Within one plant step {@code OUR_d} and {@code kLa} are held, which makes the DO balance
 * {@code dC/dt = kLa (C* - C) - OUR(C)} linear in each regime, so it is advanced exactly: a first-order relaxation
 * toward the regime's equilibrium (exact while the regime does not change within a step; a step is ≪ 1/kLa in the
 * default configuration only at low kLa, so the plant's DO lags by up to one step).
 * <p>
 * The DO controller is an ideal cascade: the air flow that holds the DO setpoint at the current demand, clipped to the
 * mass-flow controller's range. During an aeration loss only {@code lossFraction × Q_max} reaches the sparger.
 * <p>
 * Stateless functions; thread-safe. Units: C in mmol/L, OUR in mmol/L/h, Q in NL/min, kLa in 1/h, time in h.
 */
final class OxygenTransfer {

    private OxygenTransfer() {
    }

    /** kLa at air flow {@code q}, 1/h. */
    static double kla(AerationSettings a, double q) {
        return q <= 0 ? 0 : a.klaRef() * Math.pow(q / a.airRef(), a.klaExponent());
    }

    /** The controller's air flow that holds {@code doSetpointPct} at the demand {@code ourDemand}, NL/min. */
    static double controllerFlow(AerationSettings a, double ourDemand, double doSetpointPct) {
        double drivingForce = a.saturation() * (1 - doSetpointPct / 100);
        if (!(drivingForce > 0)) {
            return a.airMax();
        }
        double klaNeeded = Math.max(0, ourDemand) / drivingForce;
        double q = a.airRef() * Math.pow(klaNeeded / a.klaRef(), 1 / a.klaExponent());
        return Math.min(a.airMax(), Math.max(a.airMin(), q));
    }

    /** Dissolved O2 after {@code dtH} hours from {@code c}, at constant {@code kla} and {@code ourDemand}, mmol/L. */
    static double relax(AerationSettings a, double c, double kla, double ourDemand, double dtH) {
        double cStar = a.saturation();
        double cCrit = a.saturation() * a.doCriticalPct() / 100;
        double demand = Math.max(0, ourDemand);
        double eq;
        double rate;
        double eqHigh = kla > 0 ? cStar - demand / kla : Double.NEGATIVE_INFINITY;
        if (eqHigh >= cCrit) {
            eq = eqHigh; // uptake unlimited: dC/dt = kLa (C* - C) - OUR_d
            rate = kla;
        } else {
            rate = kla + (cCrit > 0 ? demand / cCrit : Double.POSITIVE_INFINITY); // dC/dt = kLa C* - rate C
            eq = rate > 0 && Double.isFinite(rate) ? kla * cStar / rate : 0;
        }
        if (!Double.isFinite(rate)) {
            return Math.max(0, eq);
        }
        return Math.max(0, eq + (c - eq) * Math.exp(-rate * dtH));
    }

    /** Oxygen-limitation factor in [0, 1] at dissolved O2 {@code c}. */
    static double limitation(AerationSettings a, double c) {
        double cCrit = a.saturation() * a.doCriticalPct() / 100;
        return cCrit <= 0 ? 1 : Math.min(1, Math.max(0, c / cCrit));
    }
}
